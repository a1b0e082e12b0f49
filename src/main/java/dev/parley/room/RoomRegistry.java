package dev.parley.room;

import dev.parley.limits.RoomQuota;
import dev.parley.protocol.Names;
import dev.parley.protocol.Visibility;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The rooms of this node by case-insensitive name, and the rooms of each user. Loads the stored
 * rooms at startup; {@code general} always exists.
 * <p>
 * Membership changes go through here, by callers holding the room's monitor (see {@link Room}),
 * so that the room and the index of a user's rooms change together.
 */
@Component
public class RoomRegistry {
    private static final Duration DELETE_RETRY_FIRST = Duration.ofSeconds(1);
    private static final Duration DELETE_RETRY_MAX = Duration.ofMinutes(1);
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    /** The public rooms, for listing without walking every conversation. */
    private final Set<Room> publicRooms = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<Room>> roomsByUser = new ConcurrentHashMap<>();
    private final Map<String, Set<Room>> invitationsByUser = new ConcurrentHashMap<>();
    /**
     * Keys of deleted rooms whose messages the store is still removing (not free for a new room yet), each
     * with the signal of its end.
     */
    private final Map<String, Sinks.Empty<Void>> freeing = new ConcurrentHashMap<>();
    private final Room general;
    private final RoomQuota quota;

    public RoomRegistry(RoomStore store, RoomQuota quota) {
        this.quota = quota;
        // startup, on the main thread: every room continues from its stored seq
        List<RoomStore.StoredRoom> stored = store.load().block(Duration.ofSeconds(60));
        RoomStore.StoredRoom first = stored.get(0);
        general = new Room(Names.GENERAL, 0, Visibility.PUBLIC, first.lastSeq(), () -> { });
        rooms.put(Names.GENERAL, general);
        publicRooms.add(general);
        stored.subList(1, stored.size()).forEach(this::install);
    }

    /**
     * Adds a stored room with its members and invitations (at startup, or made by another node), unless its name
     * is taken here: then null.
     */
    public Room install(RoomStore.StoredRoom saved) {
        // a stored room counts against its creator; guests' rooms and conversations have none
        Runnable onRemoved = saved.createdBy() == null ? () -> { } : quota.existing(saved.createdBy())::release;
        Room room = new Room(saved.name(), saved.createdAt(), saved.visibility(), saved.lastSeq(), onRemoved);
        synchronized (room) {
            if (!add(room)) {
                onRemoved.run();
                return null;
            }
            saved.members().forEach((key, member) -> addMember(room, key, member));
            saved.invited().forEach(key -> invite(room, key));
        }
        return room;
    }

    /** The room of this name, or null. */
    public Room get(String name) {
        return rooms.get(Names.key(name));
    }

    public Optional<Room> find(String name) {
        return Optional.ofNullable(rooms.get(Names.key(name)));
    }

    public Room general() {
        return general;
    }

    public Collection<Room> all() {
        return rooms.values();
    }

    public int count() {
        return rooms.size();
    }

    /** The rooms a user is a member of, general not included. */
    public Set<Room> roomsOf(String userKey) {
        Set<Room> member = roomsByUser.get(userKey);
        return member == null ? Set.of() : Set.copyOf(member);
    }

    /** Adds a new room unless its name is taken, or still held by a room being deleted; hold the new room's monitor. */
    public boolean add(Room room) {
        boolean[] added = {false};
        // in one step with remove's: the name is never free between an old room leaving and its purge ending
        rooms.compute(room.key(), (key, existing) -> {
            if (existing != null || freeing.containsKey(key)) {
                return existing;
            }
            added[0] = true;
            return room;
        });
        if (!added[0]) {
            return false;
        }
        if (room.visibility() == Visibility.PUBLIC) {
            publicRooms.add(room);
        }
        return true;
    }

    public Set<Room> publicRooms() {
        return Set.copyOf(publicRooms);
    }

    /**
     * Deletes a room: marks it deleted (from then on the store refuses its messages), runs
     * {@code storeDelete}, which submits the store's delete, and keeps the name taken until that
     * completes, so no new room of the name can read or collide with the old one's messages while
     * they are purged (a failed delete is tried again, later and later, until the store has done it).
     * Drops its members, invitations and channel. Hold the room's monitor.
     */
    public void remove(Room room, Supplier<Mono<Void>> storeDelete) {
        room.markDeleted();
        String roomKey = room.key();
        rooms.compute(roomKey, (key, existing) -> {
            freeing.putIfAbsent(key, Sinks.empty());
            return existing == room ? null : existing;
        });
        // a failed delete is tried again, later and later: the name stays taken only until the store has done it
        Mono.defer(storeDelete)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, DELETE_RETRY_FIRST).maxBackoff(DELETE_RETRY_MAX))
                .subscribe(done -> { }, failed -> { }, () -> freed(roomKey));
        publicRooms.remove(room);
        for (String key : room.memberKeys()) {
            removeMember(room, key);
        }
        for (String key : room.invitedKeys()) {
            uninvite(room, key);
        }
        room.channel().close();
    }

    private void freed(String roomKey) {
        Sinks.Empty<Void> signal = freeing.remove(roomKey);
        if (signal != null) {
            // the sole emitter: FAIL_* cannot happen
            signal.tryEmitEmpty();
        }
    }

    /** Completes once no deleted room of this name is still being removed from the store (at once if none is). */
    public Mono<Void> whenFree(String name) {
        Sinks.Empty<Void> signal = freeing.get(Names.key(name));
        return signal == null ? Mono.empty() : signal.asMono();
    }

    /** The private rooms a user is invited to (and has not joined). */
    public Set<Room> invitationsOf(String userKey) {
        Set<Room> invited = invitationsByUser.get(userKey);
        return invited == null ? Set.of() : Set.copyOf(invited);
    }

    /** Adds a member; its invitation, if any, is used up. Hold the room's monitor. */
    public boolean addMember(Room room, String userKey, Room.Member member) {
        if (room.uninvite(userKey)) {
            unindex(invitationsByUser, userKey, room);
        }
        if (!room.addMember(userKey, member)) {
            return false;
        }
        index(roomsByUser, userKey, room);
        return true;
    }

    /** Hold the room's monitor. */
    public boolean removeMember(Room room, String userKey) {
        if (!room.removeMember(userKey)) {
            return false;
        }
        unindex(roomsByUser, userKey, room);
        return true;
    }

    /** Hold the room's monitor. */
    public void invite(Room room, String userKey) {
        if (room.invite(userKey)) {
            index(invitationsByUser, userKey, room);
        }
    }

    /** Hold the room's monitor. */
    public void uninvite(Room room, String userKey) {
        if (room.uninvite(userKey)) {
            unindex(invitationsByUser, userKey, room);
        }
    }

    private static void index(Map<String, Set<Room>> index, String userKey, Room room) {
        // inside compute, like the removal: a set emptied and dropped meanwhile must not swallow the add
        index.compute(userKey, (key, rooms) -> {
            Set<Room> updated = rooms == null ? ConcurrentHashMap.newKeySet() : rooms;
            updated.add(room);
            return updated;
        });
    }

    private static void unindex(Map<String, Set<Room>> index, String userKey, Room room) {
        index.computeIfPresent(userKey, (key, rooms) -> {
            rooms.remove(room);
            return rooms.isEmpty() ? null : rooms;
        });
    }
}
