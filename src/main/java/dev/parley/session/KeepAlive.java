package dev.parley.session;

import dev.parley.config.ParleyProperties;
import dev.parley.protocol.CloseCodes;
import dev.parley.stats.CloseReason;
import org.springframework.context.SmartLifecycle;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;

/**
 * One timer for all sessions (no per-connection timers): each session is pinged once every
 * {@code ping-interval}, and closed instead when it has been silent for {@code idle-timeout} or the
 * credential it was opened with has expired.
 * <p>
 * A round is one pass over the sessions, spread over the interval in {@value #SLICES} ticks, each taking
 * the next share of the pass (the round's last tick takes what is left, sessions opened meanwhile
 * included): pinging every session at once was a burst of one write per connection on the event loops
 * (at 5,000 connections, tens of milliseconds in which no message went out), once per interval. With 20
 * ticks a round, one tick still pinged 250 of 5,000 connections at once, and the deliveries behind those
 * writes came late every second (docs/benchmarks.md). Finer is not free either: every tick wakes each event
 * loop that has a ping to write, and 200 ticks a round doubled an idle server's CPU. With the defaults a tick
 * now comes every 400 ms (100 pings at 5,000 connections) and looks at its share of the sessions only.
 */
@Component
public class KeepAlive implements SmartLifecycle {
    static final Outgoing PING = new Outgoing(new byte[0], Outgoing.Kind.PING, 0);
    /** Ticks per ping interval; each tick takes the next share of the round's pass. */
    static final int SLICES = 50;

    private final SessionRegistry sessions;
    private final long pingIntervalNanos;
    private final long idleTimeoutNanos;
    private final Scheduler scheduler;
    private final Clock clock;
    private Disposable ticker;
    // the ticker's thread only: ticks are serial, and a restarted ticker starts a new round
    private Iterator<ChatSession> pass = Collections.emptyIterator();
    private int perTick;
    private int tickOfRound;

    @Autowired
    public KeepAlive(SessionRegistry sessions, ParleyProperties properties, Clock clock) {
        this(sessions, properties, Schedulers.parallel(), clock);
    }

    KeepAlive(SessionRegistry sessions, ParleyProperties properties, Scheduler scheduler, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
        this.pingIntervalNanos = properties.ws().pingInterval().toNanos();
        this.idleTimeoutNanos = properties.ws().idleTimeout().toNanos();
        this.scheduler = scheduler;
    }

    /** A whole round at once. */
    void tick(long nowNanos) {
        for (ChatSession session : sessions.all()) {
            keepAlive(session, nowNanos);
        }
    }

    /** One tick of a round: the next share of the pass, or on the round's last tick all that is left of it. */
    void tickOfRound(long nowNanos) {
        if (tickOfRound == 0) {
            pass = sessions.all().iterator();
            perTick = (sessions.count() + SLICES - 1) / SLICES;
        }
        boolean last = ++tickOfRound == SLICES;
        for (int taken = 0; pass.hasNext() && (last || taken < perTick); taken++) {
            keepAlive(pass.next(), nowNanos);
        }
        if (last) {
            tickOfRound = 0;
            pass = Collections.emptyIterator();
        }
    }

    /** Closes a session whose credential expired or that was silent for the idle timeout, pings any other. */
    private void keepAlive(ChatSession session, long nowNanos) {
        if (session.expired(clock.millis())) {
            session.transport().close(CloseReason.EXPIRED, CloseCodes.POLICY, "login expired");
        } else if (session.silentNanos(nowNanos) >= idleTimeoutNanos && session.transport().closesWhenIdle()) {
            session.transport().close(CloseReason.IDLE, CloseCodes.NORMAL, "idle timeout");
        } else {
            session.outbox().offer(PING);
        }
    }

    @Override
    public void start() {
        // a session's first ping comes within about one interval of its start, then about one interval apart
        tickOfRound = 0;
        ticker = Flux.interval(Duration.ofNanos(Math.max(1, pingIntervalNanos / SLICES)), scheduler)
                .subscribe(n -> tickOfRound(System.nanoTime()));
    }

    @Override
    public void stop() {
        if (ticker != null) {
            ticker.dispose();
            ticker = null;
        }
    }

    @Override
    public boolean isRunning() {
        return ticker != null;
    }
}
