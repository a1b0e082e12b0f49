package dev.parley.gateway;

import dev.parley.identity.ChatUser;
import dev.parley.identity.UserAuthentication;
import dev.parley.limits.Allowance;
import dev.parley.limits.ConnectionCaps;
import dev.parley.limits.RateLimitedException;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Names;
import dev.parley.protocol.ServerFrame;
import dev.parley.session.ChatSession;
import dev.parley.session.Outgoing;
import dev.parley.session.Refusals;
import dev.parley.session.ServerClosingException;
import dev.parley.session.Transport;
import dev.parley.stats.CloseReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.NettyInbound;
import reactor.netty.NettyOutbound;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One console over TCP. First the dialogue of the contract ({@code YOUR NICK?}, {@code PASSWORD?}
 * for a registered name, {@code HELLO}), within {@code login-timeout}; then a {@link ChatSession}
 * like a WebSocket's, whose outbox (bounded, the same slow-consumer policy) is what gets written.
 * Lines are handled one at a time, so a console that does not read its answers stops being read.
 */
final class ConsoleConnection implements Transport {
    private static final Logger log = LoggerFactory.getLogger(ConsoleConnection.class);

    private enum Stage { NICK, PASSWORD, CHAT }

    private final NettyInbound in;
    private final NettyOutbound out;
    private final Connection connection;
    private final ConsoleServices services;
    private final String address;
    /** The login token this console signed in with, if it did: logging it out ends the console. */
    private volatile String tokenId;
    private final Allowance allowance;
    /** The lines of the dialogue, before there is a session; then the session's outbox takes over. */
    private final Sinks.Many<byte[]> prompts = Sinks.many().unicast().onBackpressureBuffer();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean counted = new AtomicBoolean();
    private final AtomicBoolean loginReleased = new AtomicBoolean();
    /** Set when the connection has ended: a login still on its way then undoes itself. */
    private volatile boolean ended;
    private final ConnectionCaps.Admission fromAddress;
    private final ConnectionCaps.Admission handshake;
    private volatile ConnectionCaps.Admission asUser;
    private volatile Stage stage = Stage.NICK;
    private volatile String pendingNick;
    private volatile ChatSession session;
    private volatile ConsoleCommands commands;
    private volatile Disposable loginDeadline;
    private volatile Disposable closeDeadline;

    ConsoleConnection(NettyInbound in, NettyOutbound out, Connection connection, ConsoleServices services,
                      String address, ConnectionCaps.Admission fromAddress, ConnectionCaps.Admission handshake) {
        this.in = in;
        this.out = out;
        this.connection = connection;
        this.services = services;
        this.address = address;
        this.fromAddress = fromAddress;
        this.handshake = handshake;
        this.allowance = services.limits().newAllowance();
    }

    Mono<Void> run() {
        prompt("YOUR NICK?");
        loginDeadline = Mono.delay(services.properties().tcp().loginTimeout()).subscribe(tick -> {
            if (stage != Stage.CHAT) {
                close(CloseReason.IDLE, CloseCodes.NORMAL, "too slow: say your nick within "
                        + services.properties().tcp().loginTimeout().toSeconds() + "s");
            }
        });
        Flux<byte[]> lines = Flux.concat(prompts.asFlux(), Flux.defer(() -> session == null ? Flux.empty()
                // keep-alive pings are for WebSockets: skipped
                : session.outbox().frames(frame -> frame.kind() == Outgoing.Kind.PING ? null : frame.bytes())));
        Mono<Void> output = out.sendByteArray(lines).then()
                .onErrorResume(e -> Mono.empty())
                .doFinally(signal -> connection.dispose());
        Mono<Void> input = in.receiveObject()
                .map(ConsoleLines::read)
                .concatMap(this::onLine)
                .then()
                .onErrorResume(e -> {
                    log.debug("Console input of {} ended", address, e);
                    return Mono.empty();
                })
                // the peer is gone or sent QUIT: end the writer too (a close in progress keeps its own end)
                .doFinally(signal -> close(CloseReason.NORMAL, CloseCodes.NORMAL, "bye"));
        return Mono.when(input, output).doFinally(signal -> finish());
    }

    /** A line's bytes, or {@link ConsoleLines#TOO_LONG} in place of a line that was dropped. */
    private Mono<Void> onLine(Object received) {
        if (closing.get()) {
            return Mono.empty();
        }
        Allowance.Verdict verdict = allowance.frame();
        if (!verdict.passed()) {
            return refuse(verdict, "too many lines; slow down");
        }
        if (!(received instanceof byte[] bytes)) {
            promptOrReply(ConsoleText.error(ErrorCode.TOO_LARGE, "a line is at most "
                    + services.properties().tcp().lineMax().toBytes() + " bytes"));
            return whenWritable();
        }
        String line = ConsoleText.decode(bytes);
        if (line == null) {
            promptOrReply(ConsoleText.error(ErrorCode.BAD_REQUEST, "a line must be UTF-8"));
            return whenWritable();
        }
        switch (stage) {
            case NICK:
                return nick(line.strip());
            case PASSWORD:
                return password(line);
            default:
                // a refusal may be thrown at once or signalled later: either way it is an ERROR line
                return Mono.defer(() -> commands.handle(line))
                        .onErrorResume(e -> {
                            Refusals.failed(session, allowance, null, e);
                            return Mono.empty();
                        })
                        .then(whenWritable());
        }
    }

    private Mono<Void> nick(String nick) {
        if (nick.isEmpty()) {
            prompt("YOUR NICK?");
        } else if (nick.equalsIgnoreCase("QUIT")) {
            close(CloseReason.NORMAL, CloseCodes.NORMAL, "bye");
        } else if (Names.isValidUser(nick) && services.users().isRegistered(nick)) {
            pendingNick = nick;
            stage = Stage.PASSWORD;
            prompt("PASSWORD?");
        } else {
            // the WebSocket's rules for guests, with the dialogue's answers
            ChatUser guest;
            try {
                guest = services.guests().admit(nick);
            } catch (ChatException refused) {
                prompt(refused.code() == ErrorCode.NAME_TAKEN ? "NICK TAKEN" : ConsoleText.error(refused.code(), refused.getMessage()));
                prompt("YOUR NICK?");
                return Mono.empty();
            }
            return enter(guest);
        }
        return Mono.empty();
    }

    private Mono<Void> password(String secret) {
        String nick = pendingNick;
        stage = Stage.NICK;
        return services.limits().authAttempt(address)
                .then(Mono.defer(() -> services.accounts().verifyPasswordOrToken(nick, secret)
                        .doOnNext(proof -> services.limits().signedIn(address))
                        .flatMap(proof -> enter(proof.user(), proof))
                        .onErrorResume(e -> {
                            prompt(ConsoleText.error(Refusals.error(null, e, null)));
                            prompt("YOUR NICK?");
                            return Mono.empty();
                        })))
                .onErrorResume(RateLimitedException.class, limited -> {
                    prompt(ConsoleText.error(ServerFrame.Error.of(null, limited)));
                    close(CloseReason.LIMIT, CloseCodes.POLICY, "too many attempts");
                    return Mono.empty();
                });
    }

    private Mono<Void> enter(ChatUser user) {
        return enter(user, null);
    }

    /**
     * Logged in: the user becomes a session in the chat, and sees what was said lately in general. Logged in
     * with a token ({@code proof}), the console ends when that token is logged out or expires.
     */
    private Mono<Void> enter(ChatUser user, UserAuthentication proof) {
        ConnectionCaps.Admission admission;
        try {
            admission = services.caps().admitUser(user);
        } catch (RateLimitedException limited) {
            prompt(ConsoleText.error(ServerFrame.Error.of(null, limited)));
            close(CloseReason.LIMIT, CloseCodes.POLICY, "too many connections");
            return Mono.empty();
        }
        LineRenderer renderer = new LineRenderer(user.name(), Names.GENERAL);
        ChatSession entering = new ChatSession(user, renderer, this, services.metrics(),
                services.properties().outbound().bufferSize().toBytes(),
                services.properties().outbound().ephemeralLimit().toBytes());
        Mono<Void> welcome;
        try {
            welcome = services.chat().connect(entering);
        } catch (ChatException taken) {
            // a guest name claimed by someone else meanwhile
            admission.close();
            prompt("NICK TAKEN");
            prompt("YOUR NICK?");
            return Mono.empty();
        } catch (ServerClosingException shuttingDown) {
            admission.close();
            close(CloseReason.SHUTDOWN, CloseCodes.GOING_AWAY, "server shutting down");
            return Mono.empty();
        } catch (RuntimeException failed) {
            // a failure nobody foresaw: the console ends, its place given back
            admission.close();
            log.error("Could not open a session for {}", user.name(), failed);
            close(CloseReason.ERROR, CloseCodes.INTERNAL_ERROR, "internal error");
            return Mono.empty();
        }
        if (proof != null) {
            entering.expiresAt(proof.expiresAt());
            tokenId = proof.tokenId();
        }
        asUser = admission;
        session = entering;
        if (tokenId != null) {
            services.tokens().opened(tokenId, this);
        }
        if (ended) {
            // the connection ended while this login was on its way (finish() may not have seen it): undone here
            releaseLogin();
            return Mono.empty();
        }
        commands = new ConsoleCommands(entering, renderer, services);
        stage = Stage.CHAT;
        loginDeadline.dispose();
        handshake.close();
        // from here on the session's outbox is written, the welcome (HELLO) first
        emitPrompts(sink -> sink.tryEmitComplete());
        if (closing.get()) {
            // closed while logging in: the session ends with the connection
            return Mono.empty();
        }
        return welcome.then(commands.recent(Names.GENERAL));
    }

    /** Over a limit: {@code ERROR rate_limited}, or after too many of those, the connection ends. */
    private Mono<Void> refuse(Allowance.Verdict verdict, String message) {
        ChatSession current = session;
        if (current != null) {
            return Refusals.overLimit(current, verdict, null, message) ? whenWritable() : Mono.empty();
        }
        if (verdict.outcome() == Allowance.Outcome.ABUSE) {
            close(CloseReason.LIMIT, CloseCodes.POLICY, Refusals.ABUSIVE);
        } else {
            prompt(ConsoleText.error(new ServerFrame.Error(null, ErrorCode.RATE_LIMITED.wire(), message,
                    verdict.retryAfterMs())));
        }
        return Mono.empty();
    }

    private void prompt(String line) {
        emitPrompts(sink -> sink.tryEmitNext(ConsoleText.encode(line)));
    }

    /** The dialogue's lines and the session's are never written at once; emits are serialized here. */
    private synchronized void emitPrompts(Consumer<Sinks.Many<byte[]>> emit) {
        emit.accept(prompts);
    }

    private void reply(String line) {
        session.outbox().offer(Outgoing.reply(ConsoleText.encode(line)));
    }

    private void promptOrReply(String line) {
        if (session == null) {
            prompt(line);
        } else {
            reply(line);
        }
    }

    private Mono<Void> whenWritable() {
        ChatSession current = session;
        return current == null ? Mono.empty() : Mono.defer(() -> current.outbox().whenWritable());
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public Executor writer() {
        return connection.channel().eventLoop();
    }

    @Override
    public boolean closesWhenIdle() {
        return false;
    }

    /**
     * Says {@code BYE reason} and closes: after what is queued (a slow consumer's backlog is dropped
     * instead), or by dropping the socket if the peer does not take it within {@code close-timeout}.
     */
    @Override
    public void close(CloseReason reason, int code, String message) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closeDeadline = Mono.delay(services.properties().outbound().closeTimeout()).subscribe(tick -> connection.dispose());
        ChatSession current = session;
        if (current == null) {
            prompt("BYE " + message);
            emitPrompts(sink -> sink.tryEmitComplete());
            return;
        }
        count(reason);
        boolean slow = reason == CloseReason.SLOW;
        if (slow) {
            // the writer is stuck behind the peer's full window: nothing more will reach it
            current.outbox().end(true);
            connection.dispose();
        } else {
            reply("BYE " + message);
            current.outbox().end(false);
        }
    }

    private void finish() {
        dispose(loginDeadline);
        dispose(closeDeadline);
        handshake.close();
        fromAddress.close();
        ended = true;
        releaseLogin();
    }

    /** Gives back what a login took (its place, its session, its token's entry), once, whoever gets here first. */
    private void releaseLogin() {
        ChatSession current = session;
        if (current == null || !loginReleased.compareAndSet(false, true)) {
            return;
        }
        asUser.close();
        services.chat().disconnect(current);
        count(CloseReason.NORMAL);
        if (tokenId != null) {
            services.tokens().closed(tokenId, this);
        }
    }

    private void count(CloseReason reason) {
        if (counted.compareAndSet(false, true)) {
            services.metrics().connectionClosed(reason);
        }
    }

    private static void dispose(Disposable disposable) {
        if (disposable != null) {
            disposable.dispose();
        }
    }
}
