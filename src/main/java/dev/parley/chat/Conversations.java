package dev.parley.chat;

import dev.parley.bus.RoomChange;
import dev.parley.config.ParleyProperties;
import dev.parley.identity.ChatUser;
import dev.parley.identity.UserDirectory;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Names;
import dev.parley.protocol.ServerFrame;
import dev.parley.protocol.Visibility;
import dev.parley.room.Room;
import dev.parley.room.RoomRegistry;
import dev.parley.room.RoomStore;
import dev.parley.session.ChatSession;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Private conversations: the room of exactly a set of people, named {@code @} + their names,
 * found or created on first use, with everyone it names as a member (re-added if they left).
 * Never deleted for being empty: it keeps its history for its people.
 */
@Component
class Conversations {
    static final int FREE_WAIT_SECONDS = 5;
    private static final Duration FREE_WAIT = Duration.ofSeconds(FREE_WAIT_SECONDS);
    private final RoomRegistry registry;
    private final RoomStore store;
    private final RoomEvents events;
    private final RoomDeletion deletion;
    private final UserDirectory users;
    private final RoomChanges changes;
    private final int max;

    Conversations(RoomRegistry registry, RoomStore store, RoomEvents events, RoomDeletion deletion,
                  UserDirectory users, RoomChanges changes, ParleyProperties properties) {
        this.changes = changes;
        this.registry = registry;
        this.store = store;
        this.events = events;
        this.deletion = deletion;
        this.users = users;
        this.max = properties.rooms().conversationMax();
    }

    /**
     * The group conversation of a conversation's people and one more. The invitee's connections
     * get {@code invited}, unless they were in it already.
     */
    Mono<Room> invite(ChatUser inviter, ChatSession requester, Room conversation, ChatUser invitee) {
        Map<String, ChatUser> people = new LinkedHashMap<>();
        for (String key : Names.participants(conversation.name())) {
            ChatUser person = users.require(key);
            people.put(person.key(), person);
        }
        boolean added = people.putIfAbsent(invitee.key(), invitee) == null;
        return open(requester, List.copyOf(people.values())).doOnNext(group -> {
            if (added) {
                events.tell(invitee.key(), new ServerFrame.Invited(group.name(), inviter.name()));
                events.announce(new RoomChange.Invited(group.name(), invitee.key(), inviter.name(), false));
            }
        });
    }

    /**
     * The conversation of exactly these people, each of them a member, their connections following
     * it: completes once that is stored. Every connection but the requester gets {@code joined}. While a
     * deleted conversation of the name is still being removed from the store, this waits for it (without
     * holding a thread), at most {@value #FREE_WAIT_SECONDS} seconds, then answers a retryable {@code rate_limited}.
     */
    Mono<Room> open(ChatSession requester, List<ChatUser> people) {
        if (people.size() > max) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "a conversation has at most " + max + " people");
        }
        String name = Names.conversation(people.stream().map(ChatUser::key).toList());
        return Mono.defer(() -> findOrCreate(requester, people, name));
    }

    private Mono<Room> findOrCreate(ChatSession requester, List<ChatUser> people, String name) {
        // a round lost to a racing create or deletion sees the winner's result in the next one
        for (int round = 0; round < 3; round++) {
            Room existing = registry.find(name).orElse(null);
            Room room = existing != null ? existing : new Room(name, Visibility.PRIVATE, 0);
            synchronized (room) {
                if (room.isDeleted()) {
                    // deleted meanwhile (a guest of it left): its name is being freed
                    continue;
                }
                if (existing == null) {
                    if (!registry.add(room)) {
                        // created meanwhile by someone else (the next round uses theirs), or still being freed
                        continue;
                    }
                    return create(room, requester, people);
                }
                return complete(room, requester, people);
            }
        }
        return registry.whenFree(name)
                .timeout(FREE_WAIT, Mono.error(() -> new ChatException(ErrorCode.RATE_LIMITED,
                        "the conversation '" + name + "' is being deleted; retry shortly")))
                .then(Mono.defer(() -> findOrCreate(requester, people, name)));
    }

    /** Under the new room's monitor. */
    private Mono<Room> create(Room room, ChatSession requester, List<ChatUser> people) {
        Map<String, Room.Member> stored = new LinkedHashMap<>();
        Mono<Void> written;
        try {
            for (ChatUser person : people) {
                events.admit(room, person);
                if (events.stores(person)) {
                    stored.put(person.key(), events.memberOf(person));
                }
            }
            written = store.create(room.name(), room.createdAt(), Visibility.PRIVATE, null, stored, () -> {
                people.forEach(person -> events.followIfMember(room, person, requester, false));
                events.announce(new RoomChange.Created(room.name(), room.createdAt()));
            });
        } catch (ChatException refused) {
            // one of them was a guest who has just left, or the store's line is full: no conversation, nothing stored
            registry.remove(room, Mono::empty);
            throw refused;
        }
        written.subscribe(null, failed -> deletion.forget(room));
        // another node made it at the same instant: this node knows theirs now, and completes that one; or another
        // node is still deleting one of the name
        return written.thenReturn(room).onErrorResume(failed -> changes.learn(room.name(), false).flatMap(found -> found
                ? Mono.defer(() -> findOrCreate(requester, people, room.name()))
                : Mono.error(failed instanceof ChatException refused && refused.code() == ErrorCode.ROOM_EXISTS
                        ? new ChatException(ErrorCode.RATE_LIMITED,
                                "the conversation '" + room.name() + "' is being deleted; retry shortly")
                        : failed)));
    }

    /** Re-adds whoever left an existing conversation. Under the room's monitor. */
    private Mono<Room> complete(Room room, ChatSession requester, List<ChatUser> people) {
        List<Mono<Void>> writes = new ArrayList<>();
        for (ChatUser person : people) {
            if (room.isMember(person.key())) {
                continue;
            }
            Room.Member member = events.memberOf(person);
            Runnable apply = () -> {
                events.followIfMember(room, person, requester, true);
                events.announce(new RoomChange.Joined(room.name(), person.key(), person.name(), member.guestNode()));
            };
            writes.add(events.join(room, person, apply,
                    () -> store.addMember(room.name(), person.key(), member, room.channel().lastSeq(), apply)));
        }
        return Mono.when(writes).thenReturn(room);
    }
}
