package dev.parley.session;

import dev.parley.config.ParleyProperties;
import dev.parley.protocol.CloseCodes;
import dev.parley.stats.CloseReason;
import dev.parley.stats.ParleyMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * At shutdown, before the web server stops, tells every client 1001 (reconnect elsewhere and resume), in batches
 * every {@value #BATCH_EVERY_MS} ms spread over {@code parley.shutdown.drain-time}, so that the other nodes (or
 * this one, restarted) are not hit by every reconnect at one instant; then waits a bounded time for the
 * connections to end. Readiness is down from the first moment (Spring Boot refuses traffic once the context
 * closes). Runs before the store drains its writer, so replies still in flight are flushed first.
 */
@Component
public class GracefulShutdown implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);
    private static final Duration WAIT = Duration.ofSeconds(10);
    static final long BATCH_EVERY_MS = 100;

    private final SessionRegistry sessions;
    private final ParleyMetrics metrics;
    private final Duration drainTime;
    private volatile boolean running;

    public GracefulShutdown(SessionRegistry sessions, ParleyMetrics metrics, ParleyProperties properties) {
        this.sessions = sessions;
        this.metrics = metrics;
        this.drainTime = properties.shutdown().drainTime();
    }

    @Override
    public void start() {
        // a stopped context can be started again (Spring's test framework pauses idle contexts)
        sessions.reopen();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        // before the snapshot: a client that reconnects at once must not be welcomed here again
        sessions.beginClosing();
        List<ChatSession> open = List.copyOf(sessions.all());
        if (open.isEmpty()) {
            return;
        }
        int batches = (int) Math.max(1, drainTime.toMillis() / BATCH_EVERY_MS);
        int perBatch = Math.max(1, (open.size() + batches - 1) / batches);
        log.info("Closing {} connections for shutdown, {} every {} ms", open.size(), perBatch, BATCH_EVERY_MS);
        for (int from = 0; from < open.size(); from += perBatch) {
            if (from > 0) {
                // paced on the shutdown thread, never an event loop; no scheduler (they may be stopping too)
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(BATCH_EVERY_MS));
            }
            List<ChatSession> closing = open.subList(from, Math.min(open.size(), from + perBatch));
            closing.forEach(s -> s.transport().close(CloseReason.SHUTDOWN, CloseCodes.GOING_AWAY,
                    "server shutting down"));
            metrics.drained(closing.size());
        }
        sessions.whenEmpty().timeout(WAIT).onErrorComplete().block();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // stops first: before the web server's graceful shutdown and the store
        return DEFAULT_PHASE;
    }
}
