package dev.parley.chat;

import dev.parley.config.ParleyProperties;
import dev.parley.history.MessageStore;
import dev.parley.history.ReadMarkStore;
import dev.parley.presence.PresenceRegistry;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.Names;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Delivery;
import dev.parley.room.RoomChannel;
import dev.parley.room.RoomRegistry;
import dev.parley.session.ChatSession;
import dev.parley.session.RoomCursor;
import dev.parley.session.SessionRegistry;
import dev.parley.stats.LiveRates;
import dev.parley.stats.ParleyMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

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
    private final ReadMarkStore readMarks;
    private final RoomRegistry rooms;
    private final PresenceRegistry presence;
    private final SessionRegistry sessions;
    private final FrameCodec codec;
    private final ParleyMetrics metrics;
    private final LiveRates rates;
    private final int resumeMax;

    public ChatService(MessageStore store, ReadMarkStore readMarks, RoomRegistry rooms, PresenceRegistry presence,
                       SessionRegistry sessions, FrameCodec codec, ParleyMetrics metrics, LiveRates rates,
                       ParleyProperties properties) {
        this.store = store;
        this.readMarks = readMarks;
        this.rooms = rooms;
        this.presence = presence;
        this.sessions = sessions;
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
        sessions.add(session);
        if (!presence.connect(session.user())) {
            sessions.remove(session);
            throw new ChatException(ErrorCode.NAME_TAKEN, "'" + session.user().name() + "' is online right now");
        }
        RoomChannel general = rooms.general();
        long seq;
        try {
            metrics.connectionOpened();
            session.followPresence(presence.events());
            seq = session.follow(general);
        } catch (RuntimeException e) {
            // release the name and the registration taken above; the caller only tracks a connected session
            disconnect(session);
            throw e;
        }
        // a guest is new with every connection: nothing is unread, and no read state is stored for it
        Mono<Long> unreadCount = session.user().guest() ? Mono.just(0L)
                : readMarks.unread(general.name(), session.user().name(), seq).onErrorResume(e -> Mono.just(0L));
        return unreadCount
                .map(unread -> new ServerFrame.Welcome(session.user().name(), session.user().guest(),
                        List.of(new ServerFrame.RoomState(general.name(), seq, unread, general.visibility())),
                        presence.online(presence.broadcastMax()), presence.count()))
                .doOnNext(session::open)
                .then();
    }

    /** Closes a session's part in the chat: presence and subscriptions. */
    public void disconnect(ChatSession session) {
        session.dispose();
        sessions.remove(session);
        presence.disconnect(session.user());
    }

    /**
     * Handles one decoded client frame. (Java 17 has no pattern switch; the sealed
     * interface keeps this list closed, and the last branch is unreachable.)
     */
    public Mono<Void> handle(ChatSession session, ClientFrame frame) {
        if (frame instanceof ClientFrame.Send send) {
            return send(session, send);
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
            return Mono.fromRunnable(() -> session.watchPresence(
                    sub.users().stream().map(Names::key).collect(Collectors.toSet())));
        }
        throw new IllegalStateException("unhandled frame " + frame.getClass().getSimpleName());
    }

    private Mono<Void> send(ChatSession session, ClientFrame.Send send) {
        RoomChannel room = readable(session, send.room());
        metrics.messageReceived();
        // on the writer thread, in seq order: the ack is queued before the broadcast, so the sender
        // learns the seq before it sees its own message; the broadcast happens even if the sender left
        return store.append(room.name(), session.user().name(), send.text(), message -> {
                    session.reply(new ServerFrame.Ack(send.id(), room.name(), message.seq()));
                    rates.messageStored(room.name());
                    room.publish(new Delivery(room.name(), message.seq(), message, codec.encode(message),
                            System.nanoTime()));
                })
                .then();
    }

    private Mono<Void> history(ChatSession session, ClientFrame.History history) {
        RoomChannel room = readable(session, history.room());
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
        resume.after().forEach((room, seq) -> after.put(readable(session, room), seq));
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
        RoomChannel room = readable(session, read.room());
        long seq = Math.min(read.seq(), room.lastSeq());
        // a guest's read state would only ever show in a later welcome, and a guest has none
        return session.user().guest() ? Mono.empty() : readMarks.markRead(room.name(), session.user().name(), seq);
    }

    private Mono<Void> typing(ChatSession session, ClientFrame.Typing typing) {
        RoomChannel room = readable(session, typing.room());
        ServerFrame.Typing frame = new ServerFrame.Typing(room.name(), session.user().name());
        return Mono.fromRunnable(() -> room.publish(new Delivery(room.name(), 0, frame, codec.encode(frame), 0)));
    }

    /** The room, if it exists and this session follows it. */
    private RoomChannel readable(ChatSession session, String name) {
        RoomChannel room = rooms.find(name)
                .orElseThrow(() -> new ChatException(ErrorCode.NO_SUCH_ROOM, "no room '" + name + "'"));
        if (session.cursor(room.name()) == null) {
            throw new ChatException(ErrorCode.NOT_MEMBER, "you are not a member of '" + room.name() + "'");
        }
        return room;
    }
}
