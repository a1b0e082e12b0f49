package dev.parley.chat;

import dev.parley.bus.BusListener;
import dev.parley.bus.RoomChange;
import dev.parley.config.ParleyProperties;
import dev.parley.identity.ChatUser;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.Names;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Delivery;
import dev.parley.room.GapFiller;
import dev.parley.room.Room;
import dev.parley.room.RoomRegistry;
import dev.parley.room.RoomStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rooms' changes made on other nodes, made here too: this node's memory of the room follows, and its own
 * connections are told as the other node told its own. A room this node has not heard of yet (its creation
 * came late, or was lost) is read from the store, where every change is before it is announced.
 */
@Component
class RoomChanges implements BusListener {
    private static final Logger log = LoggerFactory.getLogger(RoomChanges.class);
    private final RoomRegistry registry;
    private final RoomStore store;
    private final RoomEvents events;
    private final RoomDeletion deletion;
    private final FrameCodec codec;
    private final GapFiller gaps;
    private final boolean clustered;
    /** Reads of rooms under way, by room key: the next read of a room waits for the one before. */
    private final Map<String, Mono<Boolean>> learning = new ConcurrentHashMap<>();
    /**
     * Rooms whose deletion this node heard of lately, by key: a read under way does not bring them back. A read
     * takes milliseconds; {@link #FORGET_FOR} later the entry no longer counts, and a busy map drops such entries.
     */
    private final Map<String, Forgotten> forgotten = new ConcurrentHashMap<>();
    private static final long FORGET_FOR = Duration.ofMinutes(1).toNanos();

    /** A deletion heard: of the room made at {@code createdAt} (0: whichever of its name), at {@code heardAt} (nanoTime). */
    private record Forgotten(long createdAt, long heardAt) {

        boolean covers(long created, long now) {
            return now - heardAt < FORGET_FOR && (createdAt == 0 || createdAt == created);
        }
    }

    RoomChanges(RoomRegistry registry, RoomStore store, RoomEvents events, RoomDeletion deletion, FrameCodec codec,
                GapFiller gaps, ParleyProperties properties) {
        this.gaps = gaps;
        this.clustered = properties.cluster().enabled();
        this.registry = registry;
        this.store = store;
        this.events = events;
        this.deletion = deletion;
        this.codec = codec;
    }

    @Override
    public void onRoomChange(RoomChange change) {
        Room room = registry.get(change.room());
        if (change instanceof RoomChange.Deleted deleted) {
            forget(deleted);
            if (room != null && (deleted.createdAt() == 0 || deleted.createdAt() == room.createdAt())) {
                deletion.deletedElsewhere(room);
            }
            return;
        }
        if (room != null && change instanceof RoomChange.Created created && created.createdAt() != room.createdAt()) {
            // this node missed the deletion of an older room of the name
            deletion.deletedElsewhere(room);
            room = null;
        }
        if (room == null) {
            // made elsewhere, and its creation not heard yet (or still being read): the store has it with this change,
            // which is then made here like any other (what the store showed already is not made twice)
            if (!(change instanceof RoomChange.Typing)) {
                boolean created = change instanceof RoomChange.Created;
                learn(change.room(), created).subscribe(known -> {
                    if (known && !created) {
                        onRoomChange(change);
                    }
                }, failed -> log.warn("Could not read room '{}'", change.room(), failed));
            }
            return;
        }
        if (change instanceof RoomChange.Joined joined) {
            joined(room, joined);
        } else if (change instanceof RoomChange.Left left) {
            left(room, left);
        } else if (change instanceof RoomChange.Invited invited) {
            invited(room, invited);
        } else if (change instanceof RoomChange.Typing typing) {
            ServerFrame.Typing frame = new ServerFrame.Typing(room.name(), typing.name());
            room.channel().publish(Delivery.ephemeral(room.name(), frame, codec.encode(frame)));
        }
    }

    /**
     * Completes once this node knows the room, if the store has it (cluster mode): a room made on another node a
     * moment ago can be joined here at once, before its announcement arrives.
     */
    Mono<Void> known(String name) {
        if (!clustered || registry.get(name) != null) {
            return Mono.empty();
        }
        return learn(name, false).then();
    }

    private void forget(RoomChange.Deleted deleted) {
        long now = System.nanoTime();
        if (forgotten.size() > 1024) {
            forgotten.values().removeIf(entry -> now - entry.heardAt() >= FORGET_FOR);
        }
        forgotten.put(Names.key(deleted.room()), new Forgotten(deleted.createdAt(), now));
    }

    @Override
    public void onNodeGone(String node) {
        deletion.guestsGone(node);
    }

    /**
     * Reads a room made on another node from the store, and adds it here with its members (their connections here
     * follow it) unless this node knows it already; then adds whatever members the store has that this node lacks.
     *
     * @param created the room is new: its members here follow it from its first message (those sent before this
     *                node heard of it are read from the store), as they would on the node that made it
     * @return whether the room is known here now
     */
    Mono<Boolean> learn(String name, boolean created) {
        String key = Names.key(name);
        Mono<Boolean> read = Mono.defer(() -> store.find(name))
                .map(found -> found.isPresent() && know(found.get(), created));
        // one read of a room at a time, in the order asked: an older read never undoes what a newer one showed
        Mono<Boolean> mine = learning.compute(key, (k, previous) ->
                (previous == null ? read : previous.onErrorReturn(false).then(read)).cache());
        return mine.doFinally(signal -> learning.remove(key, mine));
    }

    /**
     * Adds a stored room here unless this node knows it already, then whatever members and invitations the store has
     * that this node lacks (see {@link #learn}).
     *
     * @return whether the room is known here now
     */
    boolean know(RoomStore.StoredRoom stored, boolean created) {
        Forgotten deleted = forgotten.get(Names.key(stored.name()));
        if (deleted != null && deleted.covers(stored.createdAt(), System.nanoTime())) {
            // its deletion was heard while it was being read
            return false;
        }
        Room known = registry.get(stored.name());
        Room room = known != null ? known : registry.install(RoomStore.StoredRoom.withoutMembers(stored, created));
        if (room == null) {
            // installed meanwhile by a racing learn: that one adds the members
            return registry.get(stored.name()) != null;
        }
        synchronized (room) {
            if (room.isDeleted()) {
                return false;
            }
            for (Map.Entry<String, Room.Member> member : stored.members().entrySet()) {
                add(room, member.getKey(), member.getValue(), false);
            }
            stored.invited().forEach(key -> registry.invite(room, key));
        }
        if (created && known == null) {
            gaps.catchUp(room, 0, Long.MAX_VALUE).subscribe();
        }
        return true;
    }

    private void joined(Room room, RoomChange.Joined joined) {
        synchronized (room) {
            if (!room.isDeleted()) {
                add(room, joined.userKey(), new Room.Member(joined.name(), joined.guestNode()), true);
            }
        }
    }

    /** Adds a member made elsewhere: its connections here follow the room, with {@code notice} the others hear it. Under the monitor. */
    private void add(Room room, String key, Room.Member member, boolean notice) {
        if (!registry.addMember(room, key, member)) {
            return;
        }
        events.followIfMember(room, new ChatUser(member.name(), member.guest()), null, notice);
    }

    private void left(Room room, RoomChange.Left left) {
        synchronized (room) {
            events.leftElsewhere(room, left.userKey(), left.name());
        }
    }

    private void invited(Room room, RoomChange.Invited invited) {
        synchronized (room) {
            if (room.isDeleted()) {
                return;
            }
            if (invited.granted()) {
                registry.invite(room, invited.userKey());
            }
        }
        events.tell(invited.userKey(), new ServerFrame.Invited(room.name(), invited.by()));
    }
}
