package dev.parley.storage;

import dev.parley.storage.writer.StoreWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;

/**
 * At shutdown, after the connections are closed, lets the writer finish what it was given
 * (an acked message is never lost, and a pending one is stored rather than dropped) and
 * releases its connection. A deleted room's purge is not waited for: it goes on when the context is
 * started again, or else after the next start of the server. Runs in a phase after the chat's and before
 * the DataSource closes.
 */
public final class StoreShutdown implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(StoreShutdown.class);
    /** Stops after the chat lifecycle (higher phases stop first). */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 100;

    private final StoreWriter writer;
    private final StoreThreads threads;
    private volatile boolean running;

    StoreShutdown(StoreWriter writer, StoreThreads threads) {
        this.writer = writer;
        this.threads = threads;
    }

    @Override
    public void start() {
        // also after a stop (Spring's test framework pauses idle contexts): the purges left waiting go on
        writer.resumePurging();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        writer.stopPurging();
        try {
            // a task queued behind the pending drains runs once they are done
            threads.runOnWriter(writer::close, Duration.ofSeconds(10));
        } catch (Exception e) {
            log.warn("The store writer did not finish in time", e);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
