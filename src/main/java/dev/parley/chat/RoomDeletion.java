package dev.parley.chat;

import dev.parley.config.ParleyProperties;
import dev.parley.identity.ChatUser;
import dev.parley.protocol.ServerFrame;
import dev.parley.protocol.Visibility;
import dev.parley.room.Room;
import dev.parley.room.RoomRegistry;
import dev.parley.room.RoomStore;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The end of rooms: the grace period of an empty room, deletion, and guests leaving every room
 * with their last connection.
 * <p>
 * Race-free by the room's monitor: the grace timer deletes only a room that is still empty and
 * has not been empty-then-joined meanwhile ({@link Room#emptiness}), and a join checks for deletion
 * under the same monitor. A room is marked deleted before its store delete is submitted (so no message
 * of it is stored after that), and its name is freed after (so a new room of the name is stored after it).
 */
@Component
class RoomDeletion {
    private final RoomRegistry registry;
    private final RoomStore store;
    private final RoomEvents events;
    private final GraceTimer timer;
    private final Duration grace;

    RoomDeletion(RoomRegistry registry, RoomStore store, RoomEvents events, GraceTimer timer,
                 ParleyProperties properties) {
        this.registry = registry;
        this.store = store;
        this.events = events;
        this.timer = timer;
        this.grace = properties.rooms().emptyGrace();
        // stored rooms nobody belongs to (their members were guests before a restart) get their grace period now
        for (Room room : registry.all()) {
            synchronized (room) {
                whenEmpty(room);
            }
        }
    }

    /** Starts the grace period of a room that became empty. Call under the room's monitor. */
    void whenEmpty(Room room) {
        if (room.isDisposable() && room.memberCount() == 0 && !room.isDeleted()) {
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
            Set<String> audience = new HashSet<>(room.memberKeys());
            audience.addAll(room.invitedKeys());
            for (String member : room.memberKeys()) {
                events.unfollow(room, member);
            }
            ServerFrame.RoomDeleted deleted = new ServerFrame.RoomDeleted(room.name());
            boolean everyone = room.visibility() == Visibility.PUBLIC;
            registry.remove(room, () -> store.delete(room.name(), () -> {
                if (everyone) {
                    events.tellEveryone(deleted);
                } else {
                    audience.forEach(key -> events.tell(key, deleted));
                }
            }));
        }
    }

    /**
     * A guest's last connection closed: it leaves every room (the members hear {@code left}) and
     * loses its invitations. A conversation with it ends: nobody else may ever read it under its name.
     */
    void departGuest(ChatUser guest) {
        String key = guest.key();
        for (Room room : registry.invitationsOf(key)) {
            synchronized (room) {
                registry.uninvite(room, key);
            }
        }
        for (Room room : registry.roomsOf(key)) {
            synchronized (room) {
                if (room.isDeleted() || !registry.removeMember(room, key)) {
                    continue;
                }
                if (room.isConversation()) {
                    delete(room);
                    continue;
                }
                events.publish(room, new ServerFrame.Left(null, room.name(), guest.name()));
                whenEmpty(room);
            }
        }
    }
}
