package dev.parley.room;

import dev.parley.protocol.Visibility;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable rooms, their members and invitations (seam like the message store: embedded SQLite or
 * PostgreSQL). Users are by case-insensitive key.
 * <p>
 * Contract: a write is submitted when its method is called (not on subscription), and writes are
 * applied in the order they are submitted, in one line with message appends,
 * each in its own transaction; {@code onCommitted} runs after the commit, in that order, even if
 * the caller cancelled, and must not block. Guests are stored only in cluster mode (with their node).
 * <p>
 * The store's line is bounded: every write but {@link #delete} (which the server decides) is refused with
 * {@code rate_limited}, thrown by the call with nothing submitted, while it is full. Callers submit
 * first and change memory after, so a refusal leaves both as they were.
 * <p>
 * Several nodes may share the store: a room's row orders its membership changes, the row keeps when the
 * room became empty, and a node claims an empty room before deleting it, so only one does.
 */
public interface RoomStore {

    /**
     * Every stored room with its members and invitations, and its last seq; {@code general} first
     * (never stored as a room, but it has messages). Read once at startup.
     */
    Mono<List<StoredRoom>> load();

    /** Every room as stored now, but those being deleted (a node making up for announcements it missed); no general. */
    Mono<List<StoredRoom>> current();

    /** The stored room of this name, unless it is gone or being deleted (a node learning of a room late). */
    Mono<Optional<StoredRoom>> find(String room);

    /** Stores a new room with its first members, their read marks at 0; {@code createdBy} may be null. */
    Mono<Void> create(String room, long createdAt, Visibility visibility, String createdBy,
                      Map<String, Room.Member> members, Runnable onCommitted);

    /**
     * Adds a member with its read mark at {@code readMark}; uses up its invitation. Fails with
     * {@code no_such_room}, nothing stored, once the room has been claimed for deletion (by any node).
     */
    Mono<Void> addMember(String room, String userKey, Room.Member member, long readMark, Runnable onCommitted);

    /** Removes a member and its read mark; the room's last member leaving starts its grace period. */
    Mono<Void> removeMember(String room, String userKey, Runnable onCommitted);

    Mono<Void> invite(String room, String userKey, String invitedBy, Runnable onCommitted);

    /**
     * Removes the memberships of the guests connected through {@code node} (it died, or is starting again under its
     * old id), or of one of them ({@code guestKey}: its connection closed); never refused. A conversation one of them
     * was in ends with it: it is claimed for deletion in the same transaction, and whoever gets it back as claimed (one
     * caller only) deletes it.
     */
    Mono<List<GuestLeft>> removeGuests(String node, String guestKey);

    /**
     * Rooms whose grace period is over (empty since before {@code emptyBefore}), and rooms whose deletion was
     * claimed before {@code claimedBefore} and never finished (its node died midway).
     */
    Mono<List<String>> deletable(long emptyBefore, long claimedBefore);

    /**
     * Claims a room for deletion if it is still deletable as {@link #deletable} says: true for exactly one
     * caller. From the claim on, joins are refused; the claimant then calls {@link #delete}.
     */
    Mono<Boolean> claim(String room, long emptyBefore, long claimedBefore);

    /**
     * Deletes the room with everything in it: messages, members, invitations, read marks. The messages
     * go a chunk at a time between other writes, so a big room holds nobody up; the Mono completes, and
     * then {@code onCommitted} runs, once all of it is gone (until then the name must not be used again).
     */
    Mono<Void> delete(String room, Runnable onCommitted);

    /** A guest taken out of a room by {@link #removeGuests}; {@code claimed}: a conversation the caller must delete. */
    record GuestLeft(String room, String userKey, String name, boolean claimed) {
    }

    /**
     * A room as stored.
     *
     * @param createdAt when it was made (epoch ms; general: 0)
     * @param createdBy the creator's key; null for general, conversations and rooms guests created
     * @param members members by key
     */
    record StoredRoom(String name, long createdAt, Visibility visibility, String createdBy, long lastSeq,
                      Map<String, Room.Member> members, List<String> invited) {

        /** The room alone, its members to be added one by one; {@code fromStart}: at seq 0, its messages all to come. */
        public static StoredRoom withoutMembers(StoredRoom room, boolean fromStart) {
            return new StoredRoom(room.name(), room.createdAt(), room.visibility(), room.createdBy(),
                    fromStart ? 0 : room.lastSeq(),
                    Map.of(), List.of());
        }
    }
}
