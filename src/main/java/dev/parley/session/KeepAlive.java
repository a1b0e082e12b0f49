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

/**
 * One timer for all sessions (no per-connection timers): every {@code ping-interval} it
 * pings each session and closes those silent for longer than {@code idle-timeout}.
 */
@Component
public class KeepAlive implements SmartLifecycle {
    static final Outgoing PING = new Outgoing(new byte[0], Outgoing.Kind.PING, 0);

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

    /** One round: close the idle, ping the rest. */
    void tick(long nowNanos) {
        for (ChatSession session : sessions.all()) {
            if (session.silentNanos(nowNanos) >= idleTimeoutNanos && session.transport().closesWhenIdle()) {
                session.transport().close(CloseReason.IDLE, CloseCodes.NORMAL, "idle timeout");
            } else {
                session.outbox().offer(PING);
            }
        }
    }

    @Override
    public void start() {
        ticker = Flux.interval(java.time.Duration.ofNanos(pingIntervalNanos), scheduler)
                .subscribe(n -> tick(System.nanoTime()));
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
