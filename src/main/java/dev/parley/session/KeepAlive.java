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

import java.time.Duration;

/**
 * One timer for all sessions (no per-connection timers): each session is pinged once every
 * {@code ping-interval}, and closed instead when it has been silent for {@code idle-timeout}.
 * <p>
 * The round is spread over the interval in {@value #SLICES} slices, a session's slice set by its id:
 * pinging every session at once was a burst of one write per connection on the event loops (at 5,000
 * connections, tens of milliseconds in which no message went out), once per interval. With 20 slices a
 * tick still pinged 250 of 5,000 connections at once, and the deliveries behind those writes came late
 * every second (docs/benchmarks.md); with the defaults a tick now comes every 100 ms.
 */
@Component
public class KeepAlive implements SmartLifecycle {
    static final Outgoing PING = new Outgoing(new byte[0], Outgoing.Kind.PING, 0);
    /** Ticks per ping interval; each tick takes the sessions of one slice. */
    static final int SLICES = 200;

    private final SessionRegistry sessions;
    private final long pingIntervalNanos;
    private final long idleTimeoutNanos;
    private final Scheduler scheduler;
    private Disposable ticker;

    @Autowired
    public KeepAlive(SessionRegistry sessions, ParleyProperties properties) {
        this(sessions, properties, Schedulers.parallel());
    }

    KeepAlive(SessionRegistry sessions, ParleyProperties properties, Scheduler scheduler) {
        this.sessions = sessions;
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

    /** The sessions of one slice. */
    void tick(int slice, long nowNanos) {
        for (ChatSession session : sessions.all()) {
            if (sliceOf(session) == slice) {
                keepAlive(session, nowNanos);
            }
        }
    }

    /** Closes a session silent for the idle timeout, pings any other. */
    private void keepAlive(ChatSession session, long nowNanos) {
        if (session.silentNanos(nowNanos) >= idleTimeoutNanos && session.transport().closesWhenIdle()) {
            session.transport().close(CloseReason.IDLE, CloseCodes.NORMAL, "idle timeout");
        } else {
            session.outbox().offer(PING);
        }
    }

    static int sliceOf(ChatSession session) {
        return (int) Math.floorMod(session.id(), (long) SLICES);
    }

    @Override
    public void start() {
        // a session's first ping comes within one interval of its start, then one interval apart
        ticker = Flux.interval(Duration.ofNanos(Math.max(1, pingIntervalNanos / SLICES)), scheduler)
                .subscribe(n -> tick((int) (n % SLICES), System.nanoTime()));
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
