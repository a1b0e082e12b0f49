package dev.parley.websocket;

import dev.parley.chat.ChatService;
import dev.parley.config.ParleyProperties;
import dev.parley.limits.Allowance;
import dev.parley.limits.ConnectionCaps;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.InvalidFrameException;
import dev.parley.protocol.ServerFrame;
import dev.parley.session.ChatSession;
import dev.parley.session.Refusals;
import dev.parley.session.ServerClosingException;
import dev.parley.session.Outgoing;
import dev.parley.session.Transport;
import dev.parley.stats.CloseReason;
import dev.parley.stats.ParleyMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.TooLongFrameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * One WebSocket: reads frames into the chat service, writes the session's outbox, and
 * closes as the contract says. Reading is bounded ({@code max-in-flight} requests at a
 * time, and not while the outbox is over capacity), so a client that does not read its
 * replies stops being read. A close flushes or drops the outbox, sends the close frame,
 * and drops the socket if the peer does not take it within {@code close-timeout}.
 */
final class WebSocketConnection implements Transport {
    private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);
    private static final String TOO_MANY_FRAMES = "too many frames; slow down";

    private final LeanWebSocketSession ws;
    private final ChatService chat;
    private final FrameCodec codec;
    private final ParleyMetrics metrics;
    private final ChatSession session;
    private final Channel channel;
    private final String address;
    private final int maxInFlight;
    private final Duration closeTimeout;
    // field updaters rather than atomic objects: every open connection holds these
    private static final AtomicReferenceFieldUpdater<WebSocketConnection, CloseReason> CLOSE_REASON =
            AtomicReferenceFieldUpdater.newUpdater(WebSocketConnection.class, CloseReason.class, "closeReason");
    private static final AtomicIntegerFieldUpdater<WebSocketConnection> COUNTED =
            AtomicIntegerFieldUpdater.newUpdater(WebSocketConnection.class, "counted");
    private volatile CloseReason closeReason;
    private volatile int counted;
    private volatile CloseStatus closeStatus;
    private volatile Disposable deadline;
    private volatile boolean connected;
    /** Whether the connection was set up on its socket's event loop, as every connection must be (for tests). */
    private boolean startedOnEventLoop;
    private final Allowance allowance;
    private final ConnectionCaps.Admission admission;

    WebSocketConnection(LeanWebSocketSession ws, HandshakePrincipal principal, ChatService chat, FrameCodec codec,
                        ParleyMetrics metrics, ParleyProperties properties, Allowance allowance) {
        this.ws = ws;
        this.allowance = allowance;
        this.admission = principal.admission();
        // this connection gives its place back when it ends (finish)
        admission.claim();
        this.chat = chat;
        this.codec = codec;
        this.metrics = metrics;
        this.maxInFlight = properties.outbound().maxInFlight();
        this.closeTimeout = properties.outbound().closeTimeout();
        this.channel = principal.channel();
        this.address = principal.address();
        this.session = new ChatSession(principal.user(), new JsonRenderer(codec), this, metrics,
                properties.outbound().bufferSize().toBytes(), properties.outbound().ephemeralLimit().toBytes());
        session.expiresAt(principal.expiresAt());
    }

    Mono<Void> run() {
        startedOnEventLoop = channel == null || channel.eventLoop().inEventLoop();
        // built when subscribed, and not at all on a socket already closed: Reactor Netty's sender, made for a
        // closed channel, completes before it is subscribed to, and this connection would never end
        Mono<Void> output = Mono.defer(() -> channel != null && !channel.isActive() ? Mono.empty()
                        : ws.sendFrames(session.outbox().frames(this::toFrame)))
                // the peer vanished mid-write: only this connection is affected, and it ends now
                .onErrorResume(e -> {
                    CLOSE_REASON.compareAndSet(this, null, CloseReason.ERROR);
                    session.outbox().end(true);
                    abort();
                    return Mono.empty();
                })
                .then(Mono.defer(this::sendCloseFrame));
        Mono<Void> welcome;
        try {
            welcome = chat.connect(session)
                    .onErrorResume(e -> {
                        log.error("Could not welcome {}", session.user().name(), e);
                        close(CloseReason.ERROR, CloseCodes.INTERNAL_ERROR, "internal error");
                        return Mono.empty();
                    })
                    .cache();
            connected = true;
        } catch (ChatException refused) {
            session.open(ServerFrame.Error.of(null, refused));
            close(CloseReason.LIMIT, CloseCodes.POLICY, refused.getMessage());
            return output.doFinally(signal -> finish());
        } catch (ServerClosingException closing) {
            close(CloseReason.SHUTDOWN, CloseCodes.GOING_AWAY, "server shutting down");
            return output.doFinally(signal -> finish());
        } catch (RuntimeException failed) {
            // a failure nobody foresaw: the connection ends, and finish() gives its places back all the same
            log.error("Could not open a session for {}", session.user().name(), failed);
            close(CloseReason.ERROR, CloseCodes.INTERNAL_ERROR, "internal error");
            return output.doFinally(signal -> finish());
        }
        // input is read from the start (its backlog bounded by max-in-flight); requests wait for the welcome
        return Mono.when(output, welcome, input(welcome)).doFinally(signal -> finish());
    }

    private Mono<Void> input(Mono<Void> welcome) {
        return ws.frames()
                .flatMap(frame -> dispatch(frame, welcome), maxInFlight)
                .then()
                .doOnSuccess(done -> CLOSE_REASON.compareAndSet(this, null, CloseReason.NORMAL))
                .onErrorResume(e -> {
                    if (isOversized(e)) {
                        // a fragmented message over the limit: Netty's aggregator sends no close frame itself
                        close(CloseReason.LIMIT, CloseCodes.TOO_BIG, "frame too large");
                    } else {
                        CLOSE_REASON.compareAndSet(this, null, CloseReason.ERROR);
                    }
                    log.debug("WebSocket input of {} ended", session.user().name(), e);
                    return Mono.empty();
                })
                // the peer is gone: end the writer too (a close already in progress keeps its own end)
                .doFinally(signal -> session.outbox().end(true));
    }

    /**
     * Handles one inbound frame. Decodes at once, on receipt, before Netty releases the
     * payload; the request itself waits for the welcome and for room in the outbox.
     */
    private Mono<Void> dispatch(WebSocketFrame message, Mono<Void> welcome) {
        session.touch();
        if (message instanceof PingWebSocketFrame || message instanceof PongWebSocketFrame) {
            // keep-alive, not requests: not counted against the frame rate
            return Mono.empty();
        }
        // every other frame counts, garbage included; a refusal names the request's id where there is one
        Allowance.Verdict verdict = allowance.frame();
        if (!(message instanceof TextWebSocketFrame text)) {
            return !verdict.passed() ? refuse(verdict, null, TOO_MANY_FRAMES)
                    : reply(new ServerFrame.Error(null, ErrorCode.BAD_REQUEST.wire(),
                            "binary frames are not supported: send JSON text frames"));
        }
        ClientFrame frame;
        try {
            frame = codec.decode(text.text());
        } catch (InvalidFrameException e) {
            return !verdict.passed() ? refuse(verdict, e.id(), TOO_MANY_FRAMES)
                    : reply(new ServerFrame.Error(e.id(), e.code().wire(), e.getMessage()));
        }
        if (!verdict.passed()) {
            return refuse(verdict, frame.id(), TOO_MANY_FRAMES);
        }
        return welcome
                .then(whenWritable())
                .then(Mono.defer(() -> chat.handle(session, frame)))
                .onErrorResume(e -> {
                    Refusals.failed(session, allowance, frame.id(), e);
                    return Mono.empty();
                })
                .then(whenWritable());
    }

    /** Over a limit: {@code rate_limited}, or after too many of those, the connection ends with 1008. */
    private Mono<Void> refuse(Allowance.Verdict verdict, String id, String message) {
        return Refusals.overLimit(session, verdict, id, message) ? whenWritable() : Mono.empty();
    }

    private Mono<Void> reply(ServerFrame.Error error) {
        session.reply(error);
        return whenWritable();
    }

    private Mono<Void> whenWritable() {
        return Mono.defer(() -> session.outbox().whenWritable());
    }

    /** On the writer's thread, as it takes the frame from the outbox: a ping, or a whole text frame's bytes. */
    private Object toFrame(Outgoing frame) {
        if (frame.kind() == Outgoing.Kind.PING) {
            return new PingWebSocketFrame(Unpooled.EMPTY_BUFFER);
        }
        if (frame.kind() == Outgoing.Kind.MESSAGE) {
            metrics.messageDelivered(frame.committedAtNanos());
        }
        // written whole, past Netty's frame encoder and its second copy (TextFrames says why)
        return TextFrames.encode(ws.allocator(), frame.bytes());
    }

    /** The session as the handler got it, and its socket: for tests of what a connection keeps. */
    LeanWebSocketSession socket() {
        return ws;
    }

    Channel channel() {
        return channel;
    }

    boolean startedOnEventLoop() {
        return startedOnEventLoop;
    }

    @Override
    public Executor writer() {
        return channel != null ? channel.eventLoop() : Transport.super.writer();
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public void close(CloseReason reason, int code, String message) {
        if (!CLOSE_REASON.compareAndSet(this, null, reason)) {
            return;
        }
        // counted when decided: a stalled peer may hold the socket until the deadline
        count(reason);
        closeStatus = new CloseStatus(code, message);
        // armed first, so that finish() always finds it to cancel
        deadline = Mono.delay(closeTimeout).subscribe(tick -> abort());
        boolean slow = reason == CloseReason.SLOW;
        // a slow consumer's backlog is dropped (it resumes instead); otherwise flush what is queued
        session.outbox().end(slow);
        if (slow) {
            // the writer is stuck behind the peer's full window and would never reach the close:
            // send it now, behind only what the socket already holds
            sendCloseFrame().subscribe();
        }
    }

    private Mono<Void> sendCloseFrame() {
        CloseStatus status = closeStatus;
        return status == null ? Mono.empty() : ws.close(status).onErrorResume(e -> Mono.empty());
    }

    /** The peer did not take the close in time: drop the socket. */
    private void abort() {
        if (channel != null) {
            channel.close();
        } else {
            ws.close(CloseStatus.GOING_AWAY).subscribe();
        }
    }

    private void finish() {
        admission.close();
        Disposable timer = deadline;
        if (timer != null) {
            timer.dispose();
        }
        if (connected) {
            chat.disconnect(session);
        } else {
            session.dispose();
        }
        // the peer's own end (or a vanished one) is counted here; a close the server decided, when decided
        CLOSE_REASON.compareAndSet(this, null, CloseReason.NORMAL);
        count(closeReason);
    }

    /** Counts this connection's close exactly once, whichever path gets here first. */
    private void count(CloseReason reason) {
        if (COUNTED.compareAndSet(this, 0, 1)) {
            metrics.connectionClosed(reason);
        }
    }

    /** A message over the size limit: one frame (Netty closed with 1009 already) or the sum of fragments. */
    private static boolean isOversized(Throwable e) {
        if (e instanceof CorruptedWebSocketFrameException corrupted) {
            return corrupted.closeStatus().code() == CloseCodes.TOO_BIG;
        }
        return e instanceof TooLongFrameException;
    }
}
