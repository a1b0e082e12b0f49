package dev.parley.history;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame.Message;
import dev.parley.stats.ParleyMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Appends messages with group commit: every append waiting when the writer thread
 * becomes free goes into one transaction (up to {@code batchMax}), so ingest costs one
 * commit per batch, not per message. Room and membership writes queue in the same line, each
 * in its own transaction, so the store sees every change in the order it was submitted.
 * <p>
 * Threading: {@link #submit} is lock-free and may be called from any thread; everything
 * else runs on the single writer thread, which owns the JDBC connection and the per-room
 * seq counters. Seqs are assigned in the transaction and completions run after the
 * commit in seq order, so a seq is delivered only once it is durable and a failed batch
 * leaves no gap (its seqs were never seen by anybody and are assigned again).
 */
final class GroupCommitWriter {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final String INSERT =
            "INSERT INTO messages (room, seq, sender, body, created_at) VALUES (?, ?, ?, ?, ?)";

    private final DataSource dataSource;
    private final Executor thread;
    private final ParleyMetrics metrics;
    private final int batchMax;
    private final int queueMax;
    private final Queue<Pending> queue = Queues.<Pending>unboundedMultiproducer().get();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger wip = new AtomicInteger();
    /** Last stored seq per room; writer thread only. */
    private final Map<String, Long> lastSeqs = new HashMap<>();
    private Connection connection;

    GroupCommitWriter(DataSource dataSource, Executor thread, ParleyMetrics metrics, int batchMax, int queueMax) {
        this.dataSource = dataSource;
        this.thread = thread;
        this.metrics = metrics;
        this.batchMax = batchMax;
        this.queueMax = queueMax;
    }

    /** What waits for the writer: a message to append, or another write in its own transaction. */
    sealed interface Pending permits PendingAppend, PendingWrite {
    }

    record PendingAppend(String room, String from, String text, BooleanSupplier roomExists,
                         Consumer<Message> onCommitted, MonoSink<Message> sink) implements Pending {
    }

    /**
     * A write other than a message (rooms, memberships), in its own transaction, in queue order with
     * the appends around it.
     *
     * @param deletedRoom a room whose messages this write deletes: its seq counter starts again at 0
     * @param onCommitted runs on the writer thread after the commit, even if the caller cancelled
     */
    record PendingWrite(JdbcWork<?> work, String deletedRoom, Runnable onCommitted, Sinks.Empty<Void> done)
            implements Pending {
    }

    void submit(PendingAppend append) {
        if (queued.incrementAndGet() > queueMax) {
            queued.decrementAndGet();
            append.sink().error(new ChatException(ErrorCode.RATE_LIMITED, "the server is busy; retry shortly"));
            return;
        }
        offer(append);
    }

    /**
     * Queues a write behind everything submitted before it. Not bounded by {@code queueMax}: such
     * writes follow rare membership changes whose effects are applied in memory already, and
     * refusing one would split memory from the store.
     */
    void submit(PendingWrite write) {
        offer(write);
    }

    /** Submits statements in their own transaction, now, in queue order; the Mono tells when they are committed. */
    Mono<Void> write(String deletedRoom, Runnable onCommitted, Statements statements) {
        Sinks.Empty<Void> done = Sinks.empty();
        submit(new PendingWrite(c -> {
            statements.run(c);
            return null;
        }, deletedRoom, onCommitted, done));
        return done.asMono();
    }

    /** Like {@link #write(String, Runnable, Statements)}, for a write that deletes no room and needs no hook. */
    Mono<Void> write(Statements statements) {
        return write(null, () -> {
        }, statements);
    }

    /** JDBC statements without a result. */
    @FunctionalInterface
    interface Statements {
        void run(Connection c) throws SQLException;
    }

    private void offer(Pending pending) {
        queue.offer(pending);
        if (wip.getAndIncrement() == 0) {
            thread.execute(this::drain);
        }
    }

    int queued() {
        return queued.get();
    }

    private void drain() {
        int missed = 1;
        List<PendingAppend> batch = new ArrayList<>(batchMax);
        do {
            Pending next;
            while ((next = queue.poll()) != null) {
                if (next instanceof PendingWrite write) {
                    // appends queued before it commit first: queue order is store order
                    if (!batch.isEmpty()) {
                        commit(batch);
                        batch.clear();
                    }
                    write(write);
                    continue;
                }
                PendingAppend append = (PendingAppend) next;
                if (!append.roomExists().getAsBoolean()) {
                    // its room was deleted after the message was sent: a message must not outlive its room (or
                    // land in a new one of the same name); the room's delete is queued, before or after this
                    queued.decrementAndGet();
                    append.sink().error(new ChatException(ErrorCode.NO_SUCH_ROOM, "no room '" + append.room() + "'"));
                    continue;
                }
                batch.add(append);
                if (batch.size() == batchMax) {
                    commit(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                commit(batch);
                batch.clear();
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void commit(List<PendingAppend> batch) {
        queued.addAndGet(-batch.size());
        long started = System.nanoTime();
        Instant now = Timestamps.now();
        String ts = Timestamps.format(now);
        OffsetDateTime created = now.atOffset(ZoneOffset.UTC);
        List<Message> stored = new ArrayList<>(batch.size());
        try {
            Connection c = connection();
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                for (PendingAppend append : batch) {
                    long seq = lastSeq(c, append.room()) + 1;
                    lastSeqs.put(append.room(), seq);
                    insert.setString(1, append.room());
                    insert.setLong(2, seq);
                    insert.setString(3, append.from());
                    insert.setString(4, append.text());
                    insert.setObject(5, created);
                    insert.addBatch();
                    stored.add(new Message(append.room(), seq, append.from(), append.text(), ts));
                }
                insert.executeBatch();
            }
            c.commit();
        } catch (SQLException | RuntimeException | Error e) {
            // an Error too: escaping here would leave the drain loop's counter up and the writer silent for good
            log.error("Could not store a batch of {} messages", batch.size(), e);
            rollback();
            for (PendingAppend append : batch) {
                append.sink().error(new ChatException(ErrorCode.INTERNAL, "the message could not be stored"));
            }
            return;
        }
        metrics.batchCommitted(batch.size(), System.nanoTime() - started);
        for (int i = 0; i < batch.size(); i++) {
            PendingAppend append = batch.get(i);
            Message message = stored.get(i);
            try {
                // first and unconditionally: a stored message reaches its room even if its sender went away
                append.onCommitted().accept(message);
            } catch (RuntimeException e) {
                log.error("Publishing stored message {}#{} failed", message.room(), message.seq(), e);
            }
            append.sink().success(message);
        }
    }

    private void write(PendingWrite write) {
        try {
            Connection c = connection();
            write.work().apply(c);
            c.commit();
        } catch (SQLException | RuntimeException | Error e) {
            log.error("Could not store a room change", e);
            rollback();
            // the writer is the sole emitter of this sink: FAIL_* cannot happen
            write.done().tryEmitError(new ChatException(ErrorCode.INTERNAL, "the change could not be stored"));
            return;
        }
        if (write.deletedRoom() != null) {
            lastSeqs.remove(write.deletedRoom());
        }
        try {
            write.onCommitted().run();
        } catch (RuntimeException e) {
            log.error("Applying a stored room change failed", e);
        }
        write.done().tryEmitEmpty();
    }

    /** The room's last seq, loaded once from the log and then kept here. */
    private long lastSeq(Connection c, String room) throws SQLException {
        Long known = lastSeqs.get(room);
        if (known != null) {
            return known;
        }
        try (PreparedStatement max = c.prepareStatement("SELECT MAX(seq) FROM messages WHERE room = ?")) {
            max.setString(1, room);
            try (ResultSet rs = max.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Forget counters and the connection: the failed batch's seqs are free again, the log says what is stored. */
    private void rollback() {
        lastSeqs.clear();
        if (connection != null) {
            try {
                connection.rollback();
                connection.close();
            } catch (SQLException e) {
                log.debug("Closing the writer connection after a failure", e);
            }
            connection = null;
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = dataSource.getConnection();
            c.setAutoCommit(false);
            connection = c;
        }
        return connection;
    }

    /** Releases the connection; called on the writer thread at shutdown, after the queue is drained. */
    void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("Closing the writer connection", e);
            }
            connection = null;
        }
    }
}
