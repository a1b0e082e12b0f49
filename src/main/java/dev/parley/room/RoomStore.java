package dev.parley.room;

import dev.parley.protocol.Visibility;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;

/**
 * The durable rooms, their registered members and invitations (seam like the message store:
 * embedded SQLite now, PostgreSQL later). Users are by case-insensitive key.
 * <p>
 * Contract: a write is submitted when its method is called (not on subscription), and writes are
 * applied in the order they are submitted, in one line with message appends,
 * each in its own transaction; {@code onCommitted} runs after the commit, in that order, even if
 * the caller cancelled, and must not block. Guests are never stored.
 * <p>
 * The store's line is bounded: every write but {@link #delete} (which the server decides) is refused with
 * {@code rate_limited}, thrown by the call with nothing submitted, while it is full. Callers submit
 * first and change memory after, so a refusal leaves both as they were.
 */
public interface RoomStore {

    /**
     * Every stored room with its members and invitations, and its last seq; {@code general} first
     * (never stored as a room, but it has messages). Read once at startup.
     */
    Mono<List<StoredRoom>> load();

    /** Stores a new room with its first registered members, their read marks at 0; {@code createdBy} may be null. */
    Mono<Void> create(String room, Visibility visibility, String createdBy, List<String> memberKeys,
                      Runnable onCommitted);

    /** Adds a registered member with its read mark at {@code readMark}; uses up its invitation. */
    Mono<Void> addMember(String room, String userKey, long readMark, Runnable onCommitted);

    /** Removes a member and its read mark. */
    Mono<Void> removeMember(String room, String userKey, Runnable onCommitted);

    Mono<Void> invite(String room, String userKey, String invitedBy, Runnable onCommitted);

    /**
     * Deletes the room with everything in it: messages, members, invitations, read marks. The messages
     * go a chunk at a time between other writes, so a big room holds nobody up; the Mono completes, and
     * then {@code onCommitted} runs, once all of it is gone (until then the name must not be used again).
     */
    Mono<Void> delete(String room, Runnable onCommitted);

    /**
     * A room as stored.
     *
     * @param createdBy the creator's key; null for general, conversations and rooms guests created
     * @param members registered members by key, each with the name as the user spells it
     */
    record StoredRoom(String name, Visibility visibility, String createdBy, long lastSeq,
                      Map<String, String> members, List<String> invited) {
    }
}
