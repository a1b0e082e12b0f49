package dev.parley.storage.embedded;

import dev.parley.storage.StoreShutdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * Copies SQLite's write-ahead log into the database file on a thread of its own, so that the writer's
 * commits do not wait for it.
 * <p>
 * Left to itself, SQLite checkpoints inside the commit that takes the log past 1,000 pages: with one
 * message per commit, every 450 or so commits one took 4 to 7 ms longer (two fsyncs and 4 MB copied),
 * and every message queued behind it was that much later: at 1,000 messages a second, bursts of late
 * deliveries twice a second (docs/benchmarks.md). Here a passive checkpoint runs every {@link #PERIOD}
 * beside the writer (WAL lets it: it takes no write lock), unless the writer committed nothing since the
 * last one (an idle server does no rounds). The writer still checkpoints itself past
 * {@link #WRITER_CHECKPOINT_PAGES}, by then with little left to copy: under steady writes a background
 * checkpoint rarely ends with nothing new behind it, and only the writer's own lets SQLite start the log
 * over, so that threshold is what bounds the log's file (about 40 MB).
 */
final class WalCheckpointer implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(WalCheckpointer.class);
    static final Duration PERIOD = Duration.ofMillis(250);
    static final int WRITER_CHECKPOINT_PAGES = 10_000;
    /** How long shutdown waits for a round under way (one copies at most a few MB). */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    /** Stops after the store's writer has finished (lower phases stop later). */
    static final int PHASE = StoreShutdown.PHASE - 10;

    private final DataSource dataSource;
    private final LongSupplier commits;
    private final ScheduledThreadPoolExecutor thread;
    private volatile ScheduledFuture<?> rounds;
    /** The writer's commit count at the last round; the checkpoint thread only. */
    private long checkpointedAt = -1;

    /** @param commits the writer's commits so far ({@code StoreWriter.commits()}) */
    WalCheckpointer(DataSource dataSource, LongSupplier commits) {
        this.dataSource = dataSource;
        this.commits = commits;
        this.thread = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, "parley-store-checkpoint");
            t.setDaemon(true);
            return t;
        });
    }

    /** The pragma every store connection runs first: the writer's own checkpoints come this late. */
    static String connectionInitSql() {
        return "PRAGMA wal_autocheckpoint=" + WRITER_CHECKPOINT_PAGES;
    }

    /** A round: a checkpoint if the writer committed anything since the last round. */
    void round() {
        long committed = commits.getAsLong();
        if (committed != checkpointedAt) {
            checkpointedAt = committed;
            checkpoint();
        }
    }

    /** One passive checkpoint: copies what it can without waiting for the writer or readers. */
    void checkpoint() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException | RuntimeException e) {
            // the next round tries again, and the writer's own checkpoint bounds the log meanwhile
            log.warn("A background checkpoint of the store failed", e);
        }
    }

    @Override
    public void start() {
        long period = PERIOD.toMillis();
        rounds = thread.scheduleWithFixedDelay(this::round, period, period, TimeUnit.MILLISECONDS);
    }

    /** Stops the rounds; closing the last connection checkpoints what is left. */
    @Override
    public void stop() {
        ScheduledFuture<?> running = rounds;
        if (running != null) {
            running.cancel(false);
            rounds = null;
        }
    }

    @Override
    public boolean isRunning() {
        return rounds != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * The thread ends with the context (a stopped context may be started again until then). A round under
     * way is waited for, briefly: the connection pool closes right after, and a checkpoint cut off there
     * would only log a failure.
     */
    void close() throws InterruptedException {
        stop();
        thread.shutdown();
        if (!thread.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn("A background checkpoint was still running at shutdown");
        }
    }
}
