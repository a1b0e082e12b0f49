package dev.parley.chat;

import dev.parley.bus.RoomChange;
import dev.parley.config.ParleyProperties;
import dev.parley.identity.ChatUser;
import dev.parley.protocol.ServerFrame;
import dev.parley.protocol.Visibility;
import dev.parley.room.Room;
import dev.parley.room.RoomRegistry;
import dev.parley.room.RoomStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The end of rooms: the grace period of an empty room, deletion, and guests leaving every room
 * with their last connection (or with their node).
 * <p>
 * One node: race-free by the room's monitor. The grace timer deletes only a room that is still empty and
 * has not been empty-then-joined meanwhile ({@link Room#emptiness}), and a join checks for deletion
 * under the same monitor. A room is marked deleted before its store delete is submitted (so no message
 * of it is stored after that), and its name is freed after (so a new room of the name is stored after it).
 * <p>
 * Cluster mode: no timer. The store keeps when a room became empty, and {@link EmptyRoomSweeper}s on every
 * node claim rooms past their grace in the store, where one claim wins and a join racing it either comes
 * first or is refused; the winner deletes the room and tells the others.
 */
@Component
class RoomDeletion {
    private static final Logger log = LoggerFactory.getLogger(RoomDeletion.class);
    private final RoomRegistry registry;
    private final RoomStore store;
    private final RoomEvents events;
    private final GraceTimer timer;
    private final Duration grace;
    /** Cluster mode: the grace is the store's, not a timer's. */
    private final boolean durableGrace;

    RoomDeletion(RoomRegistry registry, RoomStore store, RoomEvents events, GraceTimer timer,
                 ParleyProperties properties) {
        this.registry = registry;
        this.store = store;
        this.events = events;
        this.timer = timer;
        this.grace = properties.rooms().emptyGrace();
        this.durableGrace = properties.cluster().enabled();
        // stored rooms nobody belongs to (their members were guests before a restart) get their grace period now
        for (Room room : registry.all()) {
            synchronized (room) {
                whenEmpty(room);
            }
        }
    }

    /** Starts the grace period of a room that became empty. Call under the room's monitor. */
    void whenEmpty(Room room) {
        if (!durableGrace && room.isDisposable() && room.memberCount() == 0 && !room.isDeleted()) {
            long emptiness = room.emptiness();
            timer.after(grace, () -> deleteIfStillEmpty(room, emptiness));
        }
    }

    private void deleteIfStillEmpty(Room room, long emptiness) {
        synchronized (room) {
            // someone joined meanwhile (and maybe left again, starting a newer grace period): not this timer's
            if (!room.isDeleted() && room.memberCount() == 0 && room.emptiness() == emptiness) {
                delete(room);
            }
        }
    }

    /**
     * Deletes a room now: whoever could see it hears {@code room_deleted} once the store has
     * forgotten it (a public room: everyone; a private one: its members and invited users).
     */
    void delete(Room room) {
        synchronized (room) {
            if (room.isDeleted()) {
                return;
            }
            Runnable tell = stopFollowing(room);
            registry.remove(room, () -> store.delete(room.name(), tell));
            events.announce(new RoomChange.Deleted(room.name(), room.createdAt()));
        }
    }

    /**
     * Stops the room on its members' connections; gives the telling of {@code room_deleted} to whoever could see
     * it (a public room: everyone; a private one: its members and invited users). Under the monitor, before removal.
     */
    private Runnable stopFollowing(Room room) {
        Set<String> audience = new HashSet<>(room.memberKeys());
        audience.addAll(room.invitedKeys());
        room.memberKeys().forEach(member -> events.unfollow(room, member));
        ServerFrame.RoomDeleted deleted = new ServerFrame.RoomDeleted(room.name());
        if (room.visibility() == Visibility.PUBLIC) {
            return () -> events.tellEveryone(deleted);
        }
        return () -> audience.forEach(key -> events.tell(key, deleted));
    }

    /** Deletes a room this node has claimed in the store (cluster mode), whether or not this node knows it. */
    void deleteClaimed(String name) {
        Room room = registry.get(name);
        if (room != null && !room.isDeleted()) {
            delete(room);
            return;
        }
        // known to the store only (this node heard of it being deleted, or never of it): the store's part still
        store.delete(name, () -> { });
        events.announce(new RoomChange.Deleted(name, 0));
    }

    /** Another node is deleting the room: it takes nothing more here, and whoever could see it here is told. */
    void deletedElsewhere(Room room) {
        Runnable tell;
        synchronized (room) {
            if (room.isDeleted()) {
                return;
            }
            tell = stopFollowing(room);
            registry.remove(room, Mono::empty);
        }
        // outside the monitor: telling everyone walks every connection of this node
        tell.run();
    }

    /** A room whose creation could not be stored: gone from this node, and from no store. */
    void forget(Room room) {
        synchronized (room) {
            registry.remove(room, Mono::empty);
        }
    }

    /**
     * A guest's last connection closed: it leaves every room (the members hear {@code left}) and
     * loses its invitations. A conversation with it ends: nobody else may ever read it under its name.
     * In cluster mode the store forgets its memberships (those this node has not heard of yet too), and the other
     * nodes are told.
     */
    void departGuest(ChatUser guest) {
        String key = guest.key();
        for (Room room : registry.invitationsOf(key)) {
            synchronized (room) {
                registry.uninvite(room, key);
            }
            // a later guest of its name must not find the invitation on another node either
            events.announce(new RoomChange.Left(room.name(), key, guest.name()));
        }
        boolean stored = events.stores(guest);
        for (Room room : registry.roomsOf(key)) {
            synchronized (room) {
                if (room.isDeleted() || !registry.removeMember(room, key)) {
                    continue;
                }
                if (room.isConversation()) {
                    // stored: ended with the store's removal below, by its claim
                    if (!stored) {
                        delete(room);
                    }
                    continue;
                }
                events.publish(room, new ServerFrame.Left(null, room.name(), guest.name()));
                whenEmpty(room);
            }
        }
        if (stored) {
            removeStored(events.node(), key);
        }
    }

    /**
     * A node is gone: the guests that were connected through it leave their rooms here, and the store forgets their
     * memberships; every node asks, and the one whose removal finds them tells the others and ends their
     * conversations.
     */
    void guestsGone(String node) {
        for (Room room : registry.all()) {
            synchronized (room) {
                if (room.isDeleted()) {
                    continue;
                }
                for (String key : room.memberKeys()) {
                    Room.Member member = room.member(key);
                    if (member != null && node.equals(member.guestNode())) {
                        events.leftElsewhere(room, key, member.name());
                    }
                }
            }
        }
        removeStored(node, null);
    }

    /** The store's part of guests leaving: the others hear of each room left, and the conversations claimed end. */
    private void removeStored(String node, String guestKey) {
        store.removeGuests(node, guestKey).subscribe(left -> left.forEach(guest -> {
            if (guest.claimed()) {
                deleteClaimed(guest.room());
                return;
            }
            Room room = registry.get(guest.room());
            if (room != null) {
                synchronized (room) {
                    // a membership this node heard of after the guest had gone
                    events.leftElsewhere(room, guest.userKey(), guest.name());
                }
            }
            events.announce(new RoomChange.Left(guest.room(), guest.userKey(), guest.name()));
        }), failed -> log.warn("Could not remove the guests of node {} from their rooms", node, failed));
    }
}
