package dev.parley.chat;

import dev.parley.bus.RoomChange;
import dev.parley.identity.ChatUser;
import dev.parley.identity.UserDirectory;
import dev.parley.limits.RoomQuota;
import dev.parley.presence.PresenceRegistry;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Names;
import dev.parley.protocol.ServerFrame;
import dev.parley.protocol.Visibility;
import dev.parley.room.Room;
import dev.parley.room.RoomRegistry;
import dev.parley.room.RoomStore;
import dev.parley.session.ChatSession;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rooms: create, list, join, leave, invite. Shared by the WebSocket frames and the REST API;
 * every method returns the requester's reply, and tells everybody else.
 * <p>
 * Each change is made in memory under the room's monitor, with its store write submitted under
 * the same monitor (so the store sees one room's changes in order), and takes effect for
 * connections once committed: a registered member's change then survives a restart. Guests are
 * not stored, so theirs take effect at once.
 */
@Service
public class RoomService {
    private final RoomRegistry registry;
    private final RoomStore store;
    private final RoomEvents events;
    private final RoomDeletion deletion;
    private final Conversations conversations;
    private final UserDirectory users;
    private final PresenceRegistry presence;
    private final RoomQuota quota;
    private final RoomChanges changes;

    RoomService(RoomRegistry registry, RoomStore store, RoomEvents events, RoomDeletion deletion,
                Conversations conversations, UserDirectory users, PresenceRegistry presence, RoomQuota quota,
                RoomChanges changes) {
        this.quota = quota;
        this.changes = changes;
        this.registry = registry;
        this.store = store;
        this.events = events;
        this.deletion = deletion;
        this.conversations = conversations;
        this.users = users;
        this.presence = presence;
    }

    /**
     * Creates a room with the caller as its first member. Replies {@code ack} naming the room; the
     * caller's other connections get {@code joined}.
     *
     * @param address where the request came from: rooms are capped per address too (a guest is only a nickname)
     */
    public Mono<ServerFrame> create(ChatUser user, ChatSession requester, String address, String id, String name,
                                    Visibility visibility) {
        if (!Names.isValidNewRoom(name)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, Names.isValidRoom(name)
                    ? "room names starting with @ are reserved for private conversations"
                    : "a room name is 1-64 characters of A-Z a-z 0-9 _ - .");
        }
        RoomQuota.Place place = quota.claim(user.key(), address);
        Room room = new Room(name, visibility, 0, place::release);
        Mono<Void> stored;
        synchronized (room) {
            if (!registry.add(room)) {
                place.release();
                throw new ChatException(ErrorCode.ROOM_EXISTS, "a room named '" + name + "' exists");
            }
            try {
                // a guest whose connection closed meanwhile, or a full store line: no room, nothing stored
                events.admit(room, user);
                Map<String, Room.Member> first = events.stores(user) ? Map.of(user.key(), events.memberOf(user)) : Map.of();
                stored = store.create(room.name(), room.createdAt(), visibility, user.guest() ? null : user.key(), first, () -> {
                    events.followIfMember(room, user, requester, false);
                    events.announce(new RoomChange.Created(room.name(), room.createdAt()));
                });
            } catch (ChatException refused) {
                registry.remove(room, Mono::empty);
                throw refused;
            }
        }
        // a room whose row could not be stored does not exist here: free its name again
        stored.subscribe(null, failed -> deletion.forget(room));
        return stored.onErrorResume(failed -> changes.learn(room.name(), false).flatMap(found -> Mono.error(
                        // another node stored a room of this name first: this node knows it now
                        found ? new ChatException(ErrorCode.ROOM_EXISTS, "a room named '" + name + "' exists") : failed)))
                .then(Mono.fromCallable(() -> new ServerFrame.Ack(id, room.name(), null)));
    }

    /**
     * Joins a room: public ones freely, private ones by invitation, conversations only the users
     * they name. Replies the full {@code joined}; the other members get the short one.
     */
    public Mono<ServerFrame> join(ChatUser user, ChatSession requester, String id, String name) {
        return changes.known(name).then(Mono.defer(() -> joinKnown(user, requester, id, name)));
    }

    private Mono<ServerFrame> joinKnown(ChatUser user, ChatSession requester, String id, String name) {
        Room room = find(name);
        if (room.isGeneral()) {
            long seq = requester != null ? requester.follow(room.channel()) : room.channel().lastSeq();
            return Mono.just(new ServerFrame.Joined(id, room.name(), user.name(),
                    presence.online(presence.broadcastMax()), seq));
        }
        long[] start = new long[1];
        Mono<Void> stored;
        synchronized (room) {
            if (room.isDeleted()) {
                // lost the race with the deletion: the room is gone, not half there
                throw noSuchRoom(name);
            }
            if (room.isMember(user.key())) {
                // joined already (maybe through another connection): the same reply, nothing changes
                start[0] = events.follow(room, user, requester);
                return Mono.just(joined(id, room, user, start[0]));
            }
            if (!room.admits(user.key())) {
                throw new ChatException(ErrorCode.FORBIDDEN, room.isConversation()
                        ? "'" + room.name() + "' is a private conversation of other people"
                        : "'" + room.name() + "' is private: you need an invitation");
            }
            Room.Member member = events.memberOf(user);
            Runnable apply = () -> {
                start[0] = Math.max(0, events.followIfMember(room, user, requester, true));
                events.announce(new RoomChange.Joined(room.name(), user.key(), user.name(), member.guestNode()));
            };
            stored = events.join(room, user, apply,
                    () -> store.addMember(room.name(), user.key(), member, room.channel().lastSeq(), apply));
        }
        // not stored, not a member: memory follows the store
        stored.subscribe(null, failed -> {
            synchronized (room) {
                if (registry.removeMember(room, user.key())) {
                    deletion.whenEmpty(room);
                }
            }
        });
        return stored.then(Mono.fromCallable(() -> joined(id, room, user, start[0])));
    }

    /**
     * Leaves a room for good. The user's connections stop following it at once and get
     * {@code left}, as do the remaining members; the last member leaving starts the grace period.
     */
    public Mono<ServerFrame> leave(ChatUser user, ChatSession requester, String id, String name) {
        Room room = find(name);
        if (room.isGeneral()) {
            throw new ChatException(ErrorCode.FORBIDDEN, "everybody stays in general");
        }
        ServerFrame.Left left = new ServerFrame.Left(null, room.name(), user.name());
        Mono<Void> stored;
        synchronized (room) {
            if (room.isDeleted()) {
                throw noSuchRoom(name);
            }
            if (!room.isMember(user.key())) {
                throw notMember(room);
            }
            Runnable apply = () -> {
                events.publish(room, left);
                events.tellOthers(user.key(), requester, left);
                events.announce(new RoomChange.Left(room.name(), user.key(), user.name()));
            };
            stored = RoomEvents.change(events.stores(user), () -> {
                registry.removeMember(room, user.key());
                events.unfollow(room, user.key());
            }, apply, () -> store.removeMember(room.name(), user.key(), apply));
            deletion.whenEmpty(room);
        }
        return stored.thenReturn(new ServerFrame.Left(id, room.name(), user.name()));
    }

    /**
     * Invites a user. To a private room, the invitation lets them join (stored for a registered
     * user); to a conversation, it makes the group conversation of everyone. Replies {@code ack}
     * naming the room; the invitee's connections get {@code invited}.
     */
    public Mono<ServerFrame> invite(ChatUser user, ChatSession requester, String id, String name, String invitee) {
        Room room = find(name);
        if (!room.isMember(user.key())) {
            throw notMember(room);
        }
        ChatUser target = users.require(invitee);
        if (room.isConversation()) {
            return conversations.invite(user, requester, room, target)
                    .map(group -> new ServerFrame.Ack(id, group.name(), null));
        }
        ServerFrame.Ack ack = new ServerFrame.Ack(id, room.name(), null);
        ServerFrame.Invited invited = new ServerFrame.Invited(room.name(), user.name());
        synchronized (room) {
            if (room.isDeleted()) {
                throw noSuchRoom(name);
            }
            if (room.isMember(target.key())) {
                return Mono.just(ack);
            }
            if (room.visibility() == Visibility.PUBLIC) {
                // nothing to grant: a nudge to come and join
                events.tell(target.key(), invited);
                events.announce(new RoomChange.Invited(room.name(), target.key(), user.name(), false));
                return Mono.just(ack);
            }
            Runnable apply = () -> {
                events.tell(target.key(), invited);
                events.announce(new RoomChange.Invited(room.name(), target.key(), user.name(), true));
            };
            // a guest's invitation lives in memory only, on every node: it ends with the guest
            return RoomEvents.change(!target.guest(), () -> events.invite(room, target), apply,
                            () -> store.invite(room.name(), target.key(), user.name(), apply))
                    .thenReturn(ack);
        }
    }

    /** Public rooms and the caller's private ones (member or invited), by name. */
    public ServerFrame.RoomList rooms(ChatUser user, String id) {
        Set<Room> visible = new HashSet<>(registry.publicRooms());
        visible.addAll(registry.roomsOf(user.key()));
        visible.addAll(registry.invitationsOf(user.key()));
        List<ServerFrame.RoomSummary> list = new ArrayList<>();
        for (Room room : visible) {
            if (!room.isDeleted()) {
                int members = room.isGeneral() ? presence.count() : room.memberCount();
                list.add(new ServerFrame.RoomSummary(room.name(), room.visibility().wire(), members,
                        room.isMember(user.key())));
            }
        }
        list.sort(Comparator.comparing(ServerFrame.RoomSummary::room, String.CASE_INSENSITIVE_ORDER));
        return new ServerFrame.RoomList(id, list);
    }

    /** The room by name, or {@code no_such_room}. */
    public Room find(String name) {
        return registry.find(name).orElseThrow(() -> noSuchRoom(name));
    }

    private static ServerFrame.Joined joined(String id, Room room, ChatUser user, long seq) {
        return new ServerFrame.Joined(id, room.name(), user.name(), room.memberNames(), seq);
    }

    static ChatException noSuchRoom(String name) {
        return new ChatException(ErrorCode.NO_SUCH_ROOM, "no room '" + name + "'");
    }

    static ChatException notMember(Room room) {
        return new ChatException(ErrorCode.NOT_MEMBER, "you are not a member of '" + room.name() + "'");
    }
}
