package dev.parley.chat;

import dev.parley.bus.Bus;
import dev.parley.bus.NodeId;
import dev.parley.bus.RoomChange;
import dev.parley.config.ParleyProperties;
import dev.parley.identity.ChatUser;
import dev.parley.presence.PresenceRegistry;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Delivery;
import dev.parley.room.Room;
import dev.parley.room.RoomRegistry;
import dev.parley.session.ChatSession;
import dev.parley.session.SessionRegistry;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.function.Supplier;

/**
 * Who hears of a room change, and how: notices on the room's channel (in order with its
 * messages), events to all connections of a user, and following or unfollowing a room on every
 * connection of a member. Also who may be changed: a guest only while it is connected.
 */
@Component
class RoomEvents {
    private final SessionRegistry sessions;
    private final RoomRegistry registry;
    private final FrameCodec codec;
    private final Bus bus;
    private final String node;
    /** Cluster mode: a guest's memberships are stored too, for the store is every node's view of a room. */
    private final boolean storesGuests;
    private final PresenceRegistry presence;

    RoomEvents(SessionRegistry sessions, RoomRegistry registry, FrameCodec codec, Bus bus, NodeId node,
               PresenceRegistry presence, ParleyProperties properties) {
        this.presence = presence;
        this.sessions = sessions;
        this.registry = registry;
        this.codec = codec;
        this.bus = bus;
        this.node = node.value();
        this.storesGuests = properties.cluster().enabled();
    }

    /** Tells the other nodes of a change made here (stored already, and told to this node's connections). */
    void announce(RoomChange change) {
        bus.publish(change);
    }

    /** This node's id. */
    String node() {
        return node;
    }

    /**
     * A member left elsewhere (another node, or a node gone): its connections here stop following the room and
     * lose its invitation, and everyone here hears it. Under the room's monitor.
     */
    void leftElsewhere(Room room, String key, String name) {
        registry.uninvite(room, key);
        if (room.isDeleted() || !registry.removeMember(room, key)) {
            return;
        }
        unfollow(room, key);
        ServerFrame.Left frame = new ServerFrame.Left(null, room.name(), name);
        publish(room, frame);
        tell(key, frame);
    }

    /** Whether the user's memberships are stored: a registered user's always, a guest's in cluster mode. */
    boolean stores(ChatUser user) {
        return !user.guest() || storesGuests;
    }

    /** The user as a member: a guest with the node its connection is on (this one, or as presence has heard). */
    Room.Member memberOf(ChatUser user) {
        if (!user.guest()) {
            return Room.Member.registered(user.name());
        }
        boolean here = !sessions.of(user.key()).isEmpty();
        String elsewhere = here || !storesGuests ? null : presence.nodeElsewhere(user.key());
        return Room.Member.guest(user.name(), elsewhere != null ? elsewhere : node);
    }

    /** To the connections following the room (each user's own joined notice is skipped by its session). */
    void publish(Room room, ServerFrame frame) {
        room.channel().publish(Delivery.notice(room.name(), frame, codec.encode(frame)));
    }

    /** To every connection of the user. */
    void tell(String userKey, ServerFrame frame) {
        for (ChatSession session : sessions.of(userKey)) {
            session.notify(frame);
        }
    }

    /** To every connection of the user but the one that asked (which gets the reply instead). */
    void tellOthers(String userKey, ChatSession requester, ServerFrame frame) {
        for (ChatSession session : sessions.of(userKey)) {
            if (session != requester) {
                session.notify(frame);
            }
        }
    }

    void tellEveryone(ServerFrame frame) {
        for (ChatSession session : sessions.all()) {
            session.notify(frame);
        }
    }

    /**
     * Makes every connection of a member follow the room. Each connection but the requester is
     * told with the full {@code joined}, queued before any live frame of the room; the requester's
     * reply is the caller's. Call under the room's monitor, while the user is a member.
     *
     * @param requester the connection that asked, or null (a REST call, or a change by somebody else)
     * @return the seq after which the requester's live delivery starts, or the room's seq without one
     */
    long follow(Room room, ChatUser user, ChatSession requester) {
        long[] start = {room.channel().lastSeq()};
        List<String> members = room.memberNames();
        for (ChatSession session : sessions.of(user.key())) {
            session.follow(room.channel(), seq -> {
                if (session == requester) {
                    start[0] = seq;
                } else {
                    session.notify(new ServerFrame.Joined(null, room.name(), user.name(), members, seq));
                }
            });
        }
        return start[0];
    }

    /**
     * A membership took effect (stored, or a guest's): the user's connections follow the room, and with
     * {@code notice} the other members hear the short {@code joined}, unless the user left or the room
     * went meanwhile. Takes the room's monitor.
     *
     * @return as {@link #follow}, or -1 when nothing was done
     */
    long followIfMember(Room room, ChatUser user, ChatSession requester, boolean notice) {
        synchronized (room) {
            if (!room.isMember(user.key()) || room.isDeleted()) {
                return -1;
            }
            long start = follow(room, user, requester);
            if (notice) {
                publish(room, ServerFrame.Joined.notice(room.name(), user.name()));
            }
            return start;
        }
    }

    /**
     * A change of a user's membership or invitation. A stored one is stored before it takes effect:
     * {@code write} submits it (and is refused at once, with nothing submitted, while the store's line is
     * full), then {@code change} is made in memory, and {@code apply} runs once committed. One not stored (a
     * guest's outside cluster mode) is made and applied at once. Call under the room's monitor.
     */
    static Mono<Void> change(boolean stored, Runnable change, Runnable apply, Supplier<Mono<Void>> write) {
        if (!stored) {
            change.run();
            apply.run();
            return Mono.empty();
        }
        Mono<Void> written = write.get();
        change.run();
        return written;
    }

    /**
     * Makes the user a member, like {@link #change}. A stored guest is made a member first, while its connection
     * is open (see {@link #whileConnected}), then stored, so a guest that has just left is never stored; a
     * refused write takes the membership back. Call under the room's monitor.
     */
    Mono<Void> join(Room room, ChatUser user, Runnable apply, Supplier<Mono<Void>> write) {
        if (!user.guest() || !storesGuests) {
            return change(stores(user), () -> admit(room, user), apply, write);
        }
        admit(room, user);
        try {
            return write.get();
        } catch (ChatException refused) {
            registry.removeMember(room, user.key());
            throw refused;
        }
    }

    /**
     * Applies a membership or invitation change for a user. A registered user exists without a
     * connection; a guest only through its one connection, so its change is applied only while that
     * is open, in one step with the check. Its departure (after the connection is disposed) then
     * finds the change and undoes it: a guest never stays in a room after it is gone, where a later
     * guest of the same name would find it.
     *
     * @return false for a guest whose connection has closed (nothing changed)
     */
    private boolean whileConnected(ChatUser user, Runnable change) {
        if (!user.guest()) {
            change.run();
            return true;
        }
        for (ChatSession session : sessions.of(user.key())) {
            if (session.whileOpen(change)) {
                return true;
            }
        }
        // cluster mode: connected through another node, whose departure of it finds the change in the store
        if (storesGuests && presence.nodeElsewhere(user.key()) != null) {
            change.run();
            return true;
        }
        return false;
    }

    /** Makes the user a member (see {@link #whileConnected}). Under the room's monitor. */
    void admit(Room room, ChatUser user) {
        if (!whileConnected(user, () -> registry.addMember(room, user.key(), memberOf(user)))) {
            throw gone(user);
        }
    }

    /** Invites the user to a private room (see {@link #whileConnected}). Under the room's monitor. */
    void invite(Room room, ChatUser user) {
        if (!whileConnected(user, () -> registry.invite(room, user.key()))) {
            throw gone(user);
        }
    }

    private static ChatException gone(ChatUser guest) {
        return new ChatException(ErrorCode.NO_SUCH_USER, "'" + guest.name() + "' has just left");
    }

    /** Stops the room's live traffic on every connection of the user. */
    void unfollow(Room room, String userKey) {
        for (ChatSession session : sessions.of(userKey)) {
            session.unfollow(room.name());
        }
    }
}
