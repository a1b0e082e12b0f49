package dev.parley.session;

import dev.parley.protocol.CloseCodes;
import dev.parley.stats.CloseReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * At shutdown, before the web server stops, tells every client 1001 (reconnect elsewhere
 * and resume) and waits a bounded time for the connections to end. Runs before the store
 * drains its writer, so replies still in flight are flushed first.
 */
@Component
public class GracefulShutdown implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final SessionRegistry sessions;
    private volatile boolean running;

    public GracefulShutdown(SessionRegistry sessions) {
        this.sessions = sessions;
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
        int open = sessions.count();
        if (open == 0) {
            return;
        }
        log.info("Closing {} connections for shutdown", open);
        sessions.all().forEach(s -> s.transport().close(CloseReason.SHUTDOWN, CloseCodes.GOING_AWAY, "server shutting down"));
        // on the shutdown thread, never an event loop
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
