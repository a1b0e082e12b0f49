package dev.parley.chat;

import dev.parley.bus.Bus;
import dev.parley.bus.RoomChange;
import dev.parley.bus.RoomMessage;
import dev.parley.config.ParleyProperties;
import dev.parley.history.MessageStore;
import dev.parley.history.ReadMarkStore;
import dev.parley.identity.ChatUser;
import dev.parley.identity.UserDirectory;
import dev.parley.limits.AbuseLimits;
import dev.parley.presence.PresenceRegistry;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.Names;
import dev.parley.protocol.ServerFrame;
import dev.parley.protocol.Visibility;
import dev.parley.room.Delivery;
import dev.parley.room.Room;
import dev.parley.room.RoomChannel;
import dev.parley.room.RoomRegistry;
import dev.parley.session.ChatSession;
import dev.parley.session.PresenceWatchers;
import dev.parley.session.RoomCursor;
import dev.parley.session.SessionRegistry;
import dev.parley.stats.LiveRates;
import dev.parley.stats.ParleyMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The chat's rules. Every transport decodes its input into {@link ClientFrame}s and calls
 * {@link #handle}; replies go back through the session. Failures are
 * {@link ChatException}s for the transport to render.
 */
@Service
public class ChatService {
    private static final Logger log = LoggerFactory.getLogger(ChatService.class);
    /** Messages read and queued at a time during a resume. */
    static final int REPLAY_PAGE = 100;

    private final MessageStore store;
    private final Bus bus;
    private final ReadMarkStore readMarks;
    private final RoomRegistry rooms;
    private final RoomService roomService;
    private final Conversations conversations;
    private final RoomDeletion deletion;
    private final PresenceRegistry presence;
    private final PresenceWatchers presenceWatchers;
    private final SessionRegistry sessions;
    private final UserDirectory users;
    private final FrameCodec codec;
    private final ParleyMetrics metrics;
    private final LiveRates rates;
    private final AbuseLimits limits;
    private final int resumeMax;

    public ChatService(MessageStore store, Bus bus, ReadMarkStore readMarks, RoomRegistry rooms, RoomService roomService,
                       Conversations conversations, RoomDeletion deletion, PresenceRegistry presence,
                       PresenceWatchers presenceWatchers, SessionRegistry sessions, UserDirectory users,
                       FrameCodec codec, ParleyMetrics metrics, LiveRates rates, AbuseLimits limits,
                       ParleyProperties properties) {
        this.limits = limits;
        this.store = store;
        this.bus = bus;
        this.readMarks = readMarks;
        this.rooms = rooms;
        this.roomService = roomService;
        this.conversations = conversations;
        this.deletion = deletion;
        this.presence = presence;
        this.presenceWatchers = presenceWatchers;
        this.sessions = sessions;
        this.users = users;
        this.codec = codec;
        this.metrics = metrics;
        this.rates = rates;
        this.resumeMax = properties.resume().max();
    }

    /**
     * Opens a session: claims the user's presence, follows its rooms and sends the welcome.
     * The returned Mono completes once the welcome is queued.
     *
     * @throws ChatException {@code name_taken}, at once, when a guest name went online meanwhile
     * @throws dev.parley.session.ServerClosingException at once, when the server is shutting down
     */
    public Mono<Void> connect(ChatSession session) {
        ChatUser user = session.user();
        sessions.add(session);
        boolean online = false;
        List<Room> followed = new ArrayList<>();
        Map<String, Long> seqs = new LinkedHashMap<>();
        try {
            if (!presence.connect(user)) {
                throw new ChatException(ErrorCode.NAME_TAKEN, "'" + user.name() + "' is online right now");
            }
            online = true;
            if (user.guest() && users.isRegistered(user.name())) {
                // registered while this guest was being let in: the name is the account's (see UserDirectory.register)
                throw new ChatException(ErrorCode.NAME_TAKEN, "'" + user.name() + "' is a registered name");
            }
            metrics.connectionOpened();
            session.followPresence();
            followed.add(rooms.general());
            seqs.put(Names.GENERAL, session.follow(rooms.general().channel()));
            List<Room> own = new ArrayList<>(rooms.roomsOf(user.key()));
            own.sort(Comparator.comparing(Room::name, String.CASE_INSENSITIVE_ORDER));
            for (Room room : own) {
                synchronized (room) {
                    // left or deleted since the list was taken: not followed, not announced
                    if (room.isMember(user.key()) && !room.isDeleted()) {
                        seqs.put(room.name(), session.follow(room.channel()));
                        followed.add(room);
                    }
                }
            }
        } catch (RuntimeException e) {
            // whatever failed, give back what was taken above: the caller only tracks a connected session
            if (online) {
                disconnect(session);
            } else {
                session.dispose();
                sessions.remove(session);
            }
            throw e;
        }
        // a guest is new with every connection: nothing is unread, and no read state is stored for it
        Mono<Map<String, Long>> unreadCounts = user.guest() ? Mono.just(Map.of())
                : users.remember(user).onErrorResume(e -> Mono.empty())
                        .then(readMarks.unread(user.name(), seqs))
                        .onErrorResume(e -> Mono.just(Map.of()));
        return unreadCounts
                .map(unread -> new ServerFrame.Welcome(user.name(), user.guest(),
                        followed.stream().map(room -> new ServerFrame.RoomState(room.name(), seqs.get(room.name()),
                                unread.getOrDefault(room.name(), 0L), room.visibility().wire())).toList(),
                        presence.online(presence.broadcastMax()), presence.count()))
                .doOnNext(session::open)
                .then();
    }

    /** Closes a session's part in the chat: subscriptions, presence watches, a guest's rooms, presence. */
    public void disconnect(ChatSession session) {
        session.dispose();
        presenceWatchers.forget(session);
        sessions.remove(session);
        if (session.user().guest()) {
            // before the name is free again: the next guest of that name must find none of these rooms
            deletion.departGuest(session.user());
        }
        presence.disconnect(session.user());
    }

    /**
     * Handles one decoded client frame. (Java 17 has no pattern switch; the sealed
     * interface keeps this list closed, and the last branch is unreachable.)
     */
    public Mono<Void> handle(ChatSession session, ClientFrame frame) {
        ChatUser user = session.user();
        if (frame instanceof ClientFrame.Send send) {
            return append(session, readable(session, send.room()), send.text(), send.id());
        } else if (frame instanceof ClientFrame.History history) {
            return history(session, history);
        } else if (frame instanceof ClientFrame.Resume resume) {
            return resume(session, resume);
        } else if (frame instanceof ClientFrame.Read read) {
            return read(session, read);
        } else if (frame instanceof ClientFrame.Typing typing) {
            return typing(session, typing);
        } else if (frame instanceof ClientFrame.Ping ping) {
            return Mono.fromRunnable(() -> session.reply(new ServerFrame.Pong(ping.id())));
        } else if (frame instanceof ClientFrame.PresenceSub sub) {
            return Mono.fromRunnable(() -> {
                presenceWatchers.watch(session, sub.users().stream().map(Names::key).collect(Collectors.toSet()));
                acknowledge(session, sub.id(), null);
            });
        } else if (frame instanceof ClientFrame.Create create) {
            return reply(session, roomService.create(user, session, session.transport().address(), create.id(), create.room(), create.visibility()));
        } else if (frame instanceof ClientFrame.Rooms list) {
            return Mono.fromRunnable(() -> session.reply(roomService.rooms(user, list.id())));
        } else if (frame instanceof ClientFrame.Join join) {
            return reply(session, roomService.join(user, session, join.id(), join.room()));
        } else if (frame instanceof ClientFrame.Leave leave) {
            return reply(session, roomService.leave(user, session, leave.id(), leave.room()));
        } else if (frame instanceof ClientFrame.Invite invite) {
            return reply(session, roomService.invite(user, session, invite.id(), invite.room(), invite.user()));
        } else if (frame instanceof ClientFrame.Dm dm) {
            return dm(session, dm);
        }
        throw new IllegalStateException("unhandled frame " + frame.getClass().getSimpleName());
    }

    /** Queues the reply on the thread that completes it (see {@link RoomEvents#follow} for why that matters). */
    private static Mono<Void> reply(ChatSession session, Mono<ServerFrame> reply) {
        return reply.doOnNext(session::reply).then();
    }

    /**
     * Stores a message and delivers it to the room. On the writer thread, in seq order: the room shows
     * the new seq first (a {@code joined}, welcome or resume that follows the ack is never behind it),
     * then the ack is queued, then the message goes on the bus (to this node's followers at once, and to the
     * other nodes'), so the sender learns the seq before it sees its own message; it goes even if the
     * sender left.
     */
    private Mono<Void> append(ChatSession session, Room room, String text, String id) {
        limits.checkMessage(session.user());
        metrics.messageReceived();
        RoomChannel channel = room.channel();
        // private rooms count in the totals, never by name: /api/stats is public
        String listed = room.visibility() == Visibility.PUBLIC ? room.name() : null;
        return store.append(room.name(), session.user().name(), text, () -> !room.isDeleted(), message -> {
                    RoomMessage committed = new RoomMessage(message, codec.encode(message), System.nanoTime(),
                            room.createdAt());
                    channel.committed(message.seq());
                    session.reply(new ServerFrame.Ack(id, room.name(), message.seq()));
                    rates.messageStored(listed);
                    bus.publish(committed);
                })
                .then();
    }

    /** Finds or creates the conversation of the sender and {@code to}, then sends into it like {@code send}. */
    private Mono<Void> dm(ChatSession session, ClientFrame.Dm dm) {
        ChatUser to = users.require(dm.to());
        if (to.key().equals(session.user().key())) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "a conversation needs somebody else");
        }
        return conversations.open(session, List.of(session.user(), to))
                .flatMap(room -> append(session, room, dm.text(), dm.id()));
    }

    private Mono<Void> history(ChatSession session, ClientFrame.History history) {
        Room room = previewable(session.user(), history.room());
        return store.history(room.name(), history.before(), history.limit())
                .doOnNext(messages -> session.reply(new ServerFrame.HistoryPage(history.id(), room.name(), messages)))
                .then();
    }

    /**
     * Replays each room after the client's seq, merged with live traffic by the room's
     * cursor, then answers {@code resumed}. Rooms are checked first: one the caller cannot
     * read fails the whole request and nothing is replayed.
     */
    private Mono<Void> resume(ChatSession session, ClientFrame.Resume resume) {
        Map<RoomChannel, Long> after = new LinkedHashMap<>();
        resume.after().forEach((room, seq) -> after.put(readable(session, room).channel(), seq));
        Map<String, ServerFrame.RoomResume> result = new LinkedHashMap<>();
        return Flux.fromIterable(after.entrySet())
                .concatMap(entry -> replay(session, entry.getKey(), entry.getValue())
                        .doOnNext(state -> result.put(entry.getKey().name(), state)))
                .then(Mono.fromRunnable(() -> session.reply(new ServerFrame.Resumed(resume.id(), result))));
    }

    /**
     * Replays one room in pages, each sent only once the outbox has room, so a long
     * replay never overflows it. Seqs are gap-free, so {@code lastSeq - after} is exactly
     * how many messages were missed: beyond {@code resume.max} only the newest are sent.
     */
    private Mono<ServerFrame.RoomResume> replay(ChatSession session, RoomChannel room, long after) {
        RoomCursor cursor = session.cursor(room.name());
        if (!cursor.hold()) {
            // two replays interleaving on one cursor could send a message twice
            return Mono.error(new ChatException(ErrorCode.BAD_REQUEST,
                    "a resume of '" + room.name() + "' is already running on this connection"));
        }
        // read after holding: anything newer reaches the cursor live
        long target = room.lastSeq();
        boolean truncated = target - after > resumeMax;
        long start = truncated ? target - resumeMax : after;
        return replayPages(session, cursor, room.name(), start, target)
                .then(Mono.fromCallable(() -> new ServerFrame.RoomResume(cursor.finishReplay(start), truncated)))
                // never leave the cursor holding: go live again with what was sent, then report the failure
                .doOnError(e -> cursor.finishReplay(cursor.lastSeq()));
    }

    private Mono<Void> replayPages(ChatSession session, RoomCursor cursor, String room, long after, long target) {
        if (after >= target) {
            return Mono.empty();
        }
        return store.after(room, after, REPLAY_PAGE).flatMap(page -> {
            if (page.isEmpty()) {
                return Mono.empty();
            }
            cursor.replay(page.stream().map(m -> Delivery.replayed(m, codec.encode(m))).toList());
            long last = page.get(page.size() - 1).seq();
            return session.outbox().whenWritable().then(Mono.defer(() -> replayPages(session, cursor, room, last, target)));
        });
    }

    private Mono<Void> read(ChatSession session, ClientFrame.Read read) {
        RoomChannel room = readable(session, read.room()).channel();
        long seq = Math.min(read.seq(), room.lastSeq());
        // a guest's read state would only ever show in a later welcome, and a guest has none
        Mono<Void> marked = session.user().guest() ? Mono.empty() : readMarks.markRead(room.name(), session.user().name(), seq);
        return marked.then(Mono.fromRunnable(() -> acknowledge(session, read.id(), room.name())));
    }

    private Mono<Void> typing(ChatSession session, ClientFrame.Typing typing) {
        RoomChannel room = readable(session, typing.room()).channel();
        ServerFrame.Typing frame = new ServerFrame.Typing(room.name(), session.user().name());
        return Mono.fromRunnable(() -> {
            room.publish(Delivery.ephemeral(room.name(), frame, codec.encode(frame)));
            bus.publish(new RoomChange.Typing(room.name(), session.user().name()));
            acknowledge(session, typing.id(), room.name());
        });
    }

    /** A request that has no answer of its own still gets one when it carries an id: every such request gets exactly one reply. */
    private static void acknowledge(ChatSession session, String id, String room) {
        if (id != null) {
            session.reply(new ServerFrame.Ack(id, room, null));
        }
    }

    /**
     * What was said in a room lately: its messages of the last {@code window}, at most {@code max}, oldest
     * first, under the same rule as {@code history}. A console shows them on joining.
     */
    public Mono<ServerFrame.HistoryPage> recent(ChatSession session, String name, Duration window, int max) {
        Room room = previewable(session.user(), name);
        if (max == 0) {
            return Mono.just(new ServerFrame.HistoryPage(null, room.name(), List.of()));
        }
        Instant since = Instant.now().minus(window);
        return store.history(room.name(), null, max).map(messages -> new ServerFrame.HistoryPage(null, room.name(),
                messages.stream().filter(message -> !Instant.parse(message.ts()).isBefore(since)).toList()));
    }

    /** The room, if it exists and this connection follows it (its user is a member). */
    private Room readable(ChatSession session, String name) {
        Room room = roomService.find(name);
        if (!session.follows(room.name())) {
            throw RoomService.notMember(room);
        }
        return room;
    }

    /** The room, if the user may read its history: any public room (a preview before joining), or a member's. */
    Room previewable(ChatUser user, String name) {
        Room room = roomService.find(name);
        if (room.visibility() != Visibility.PUBLIC && !room.isMember(user.key())) {
            throw RoomService.notMember(room);
        }
        return room;
    }
}
