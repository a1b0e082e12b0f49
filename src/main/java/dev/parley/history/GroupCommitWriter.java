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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SortedMap;
import java.util.TreeMap;
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
 * One exception keeps a big deletion from stalling everyone: a deleted room's messages are
 * purged after its write, {@value #PURGE_CHUNK} per transaction, one chunk between batches (and
 * chunk after chunk while nothing else waits). Nothing submitted later can touch them: the room
 * refuses messages from its deletion on, and its name stays taken until the purge has ended
 * ({@code done} completes then). In one transaction each, rooms of about 30,000 messages held every
 * sender on the server for seconds.
 * <p>
 * Threading: {@link #submit} is lock-free and may be called from any thread; everything
 * else runs on the single writer thread, which owns the JDBC connection. The database assigns
 * the seqs, in the batch's transaction ({@link RoomSeqs}), and completions run after the
 * commit in seq order, so a seq is delivered only once it is durable and a failed batch
 * leaves no gap (its counters' moves roll back with it; nobody saw its seqs).
 */
final class GroupCommitWriter {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final String INSERT =
            "INSERT INTO messages (room, seq, sender, body, created_at) VALUES (?, ?, ?, ?, ?)";
    /** Messages deleted per purge transaction: a few milliseconds of the writer's time. */
    static final int PURGE_CHUNK = 500;
    /** Failed purge transactions in a row before the purge is given up (and the room's name stays taken). */
    private static final int PURGE_ATTEMPTS = 3;

    private final DataSource dataSource;
    private final Executor thread;
    private final ParleyMetrics metrics;
    private final int batchMax;
    private final int queueMax;
    private final Queue<Pending> queue = Queues.<Pending>unboundedMultiproducer().get();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger wip = new AtomicInteger();
    /**
     * The batch being gathered; writer thread only. One list for the writer's life: a new one per drain,
     * sized for a full batch, was a fifth of the writer's garbage when every batch holds one message.
     */
    private final List<PendingAppend> batch = new ArrayList<>();
    /** Transactions committed so far: written by the writer thread only, read by the checkpointer. */
    private volatile long commits;
    /** Deleted rooms whose messages are still being removed, oldest first; writer thread only. */
    private final ArrayDeque<Purge> purges = new ArrayDeque<>();
    /** Set while stopped: a purge under way waits for a restart, or the next start of the server (its room's row is still stored). */
    private volatile boolean purgesStopped;
    private Connection connection;
    /** The append, prepared once per writer connection (closed with it) rather than compiled again for every batch. */
    private PreparedStatement insert;
    /** The seq counters' move ({@link RoomSeqs}), prepared once per writer connection likewise. */
    private PreparedStatement takeSeqs;
    /** How many messages of each room the batch holds, in room order; writer thread only, cleared per batch. */
    private final SortedMap<String, Integer> roomCounts = new TreeMap<>();

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
     * @param deletion    a room this write deletes: its messages are purged after it, then
     *                    {@link RoomDeletion#last} runs; null for any other write
     * @param onCommitted runs on the writer thread after the commit (for a deletion: after the purge), even
     *                    if the caller cancelled
     * @param done        completes then too, just before {@code onCommitted} for a deletion (whoever hears of
     *                    the deletion finds the name free)
     * @param counted     whether it holds a place under {@code queueMax} (given back when the writer takes it)
     */
    record PendingWrite(JdbcWork<?> work, RoomDeletion deletion, Runnable onCommitted, Sinks.Empty<Void> done,
                        boolean counted) implements Pending {
    }

    /**
     * A deleted room: its messages go in chunks after its write, and {@code last} runs in the final
     * chunk's transaction (the room's own row goes last, so a crash midway leaves a stored, empty room
     * that is deleted again after its grace period, never messages without a room).
     */
    record RoomDeletion(String room, Statements last) {
    }

    /** A purge under way: messages of {@code room} with seq in ({@code from}, {@code upTo}] are still stored. */
    private static final class Purge {
        final RoomDeletion deletion;
        final Runnable onPurged;
        final Sinks.Empty<Void> done;
        final long upTo;
        long from;
        int failures;

        Purge(PendingWrite write, long upTo) {
            this.deletion = write.deletion();
            this.onPurged = write.onCommitted();
            this.done = write.done();
            this.upTo = upTo;
        }
    }

    void submit(PendingAppend append) {
        if (queued.incrementAndGet() > queueMax) {
            queued.decrementAndGet();
            append.sink().error(busy());
            return;
        }
        offer(append);
    }

    private static ChatException busy() {
        return new ChatException(ErrorCode.RATE_LIMITED, "the server is busy; retry shortly");
    }

    /** Queues a write behind everything submitted before it (a deletion's, unbounded: the server decided it). */
    void submit(PendingWrite write) {
        offer(write);
    }

    /**
     * Submits statements in their own transaction, now, in queue order; the Mono tells when they are committed.
     * Every such write can be caused by a client, so it counts against {@code queueMax} with the appends.
     *
     * @throws ChatException {@code rate_limited} at once, with nothing submitted, while the line is full: the
     *                       caller changes nothing in memory either
     */
    Mono<Void> write(Runnable onCommitted, Statements statements) {
        if (queued.incrementAndGet() > queueMax) {
            queued.decrementAndGet();
            throw busy();
        }
        return submitWrite(null, onCommitted, statements, true);
    }

    /** Like {@link #write(Runnable, Statements)}, for a write that needs no hook. */
    Mono<Void> write(Statements statements) {
        return write(() -> {
        }, statements);
    }

    /**
     * Deletes a room: {@code first} now, in queue order, its messages in chunks after it, and {@code last}
     * with the final chunk; then the Mono completes and {@code onDeleted} runs.
     */
    Mono<Void> deleteRoom(String room, Runnable onDeleted, Statements first, Statements last) {
        return submitWrite(new RoomDeletion(room, last), onDeleted, first, false);
    }

    private Mono<Void> submitWrite(RoomDeletion deletion, Runnable onCommitted, Statements statements,
                                   boolean counted) {
        Sinks.Empty<Void> done = Sinks.empty();
        submit(new PendingWrite(c -> {
            statements.run(c);
            return null;
        }, deletion, onCommitted, done, counted));
        return done.asMono();
    }

    /** JDBC statements without a result. */
    @FunctionalInterface
    interface Statements {
        void run(Connection c) throws SQLException;
    }

    private void offer(Pending pending) {
        queue.offer(pending);
        signal();
    }

    private void signal() {
        if (wip.getAndIncrement() == 0) {
            thread.execute(this::drain);
        }
    }

    int queued() {
        return queued.get();
    }

    private void drain() {
        int missed = 1;
        for (;;) {
            drainQueue();
            if (purging()) {
                // nothing else waits: the purge goes on, and the queue is looked at after every chunk
                purgeChunk();
                continue;
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private void drainQueue() {
        Pending next;
        while ((next = queue.poll()) != null) {
            if (next instanceof PendingWrite write) {
                if (write.counted()) {
                    // its place is given back when its turn comes, whether it then commits or fails
                    queued.decrementAndGet();
                }
                // appends queued before it commit first: queue order is store order
                if (!batch.isEmpty()) {
                    commitThenPurge();
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
                commitThenPurge();
            }
        }
        if (!batch.isEmpty()) {
            commitThenPurge();
        }
    }

    /** Commits a batch, then lets a purge under way take one chunk, so a long purge and ingest share the writer. */
    private void commitThenPurge() {
        commit(batch);
        batch.clear();
        if (purging()) {
            purgeChunk();
        }
    }

    private boolean purging() {
        return !purges.isEmpty() && !purgesStopped;
    }

    /**
     * Stops purging, so that shutdown waits for queued writes only, not for a big room's messages: the
     * room's row goes last, so after the restart it is a stored, empty room, deleted again after its grace.
     */
    void stopPurging() {
        purgesStopped = true;
    }

    /**
     * Purges again after {@link #stopPurging}: a stopped context can be started again (Spring's test framework
     * pauses idle contexts), and a purge left waiting would keep its room's name taken for good.
     */
    void resumePurging() {
        purgesStopped = false;
        // the drain loop picks up a purge under way even when nothing is queued
        signal();
    }

    private void commit(List<PendingAppend> batch) {
        queued.addAndGet(-batch.size());
        long started = System.nanoTime();
        Instant now = Timestamps.now();
        String ts = Timestamps.format(now);
        long created = now.toEpochMilli();
        List<Message> stored = new ArrayList<>(batch.size());
        try {
            Connection c = connection();
            PreparedStatement insert = insert(c);
            roomCounts.clear();
            for (PendingAppend append : batch) {
                roomCounts.merge(append.room(), 1, Integer::sum);
            }
            // the database assigns the seqs: each room's counter moves by its messages in this batch
            Map<String, Long> nextSeqs = RoomSeqs.take(takeSeqs(c), roomCounts);
            for (PendingAppend append : batch) {
                long seq = nextSeqs.merge(append.room(), 1L, Long::sum) - 1;
                insert.setString(1, append.room());
                insert.setLong(2, seq);
                insert.setString(3, append.from());
                insert.setString(4, append.text());
                insert.setLong(5, created);
                insert.addBatch();
                stored.add(new Message(append.room(), seq, append.from(), append.text(), ts));
            }
            insert.executeBatch();
            commit(c);
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

    /** Commits the writer's transaction and counts it. */
    private void commit(Connection c) throws SQLException {
        c.commit();
        // one thread writes it: a plain increment of the volatile is safe
        commits++;
    }

    /** Transactions committed so far; the checkpointer skips a round when none came since its last. */
    long commits() {
        return commits;
    }

    private void write(PendingWrite write) {
        long upTo = 0;
        try {
            Connection c = connection();
            write.work().apply(c);
            if (write.deletion() != null) {
                upTo = maxStoredSeq(c, write.deletion().room());
            }
            commit(c);
        } catch (SQLException | RuntimeException | Error e) {
            log.error("Could not store a room change", e);
            rollback();
            // the writer is the sole emitter of this sink: FAIL_* cannot happen
            write.done().tryEmitError(new ChatException(ErrorCode.INTERNAL, "the change could not be stored"));
            return;
        }
        if (write.deletion() == null) {
            runHook(write.onCommitted());
            write.done().tryEmitEmpty();
        } else {
            purges.add(new Purge(write, upTo));
        }
    }

    private static void runHook(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException e) {
            log.error("Applying a stored room change failed", e);
        }
    }

    /** Deletes the next chunk of the oldest purge's messages, in a transaction of its own. */
    private void purgeChunk() {
        Purge purge = purges.peek();
        String room = purge.deletion.room();
        long to = Math.min(purge.from + PURGE_CHUNK, purge.upTo);
        boolean last = to == purge.upTo;
        try {
            Connection c = connection();
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM messages WHERE room = ? AND seq > ? AND seq <= ?")) {
                delete.setString(1, room);
                delete.setLong(2, purge.from);
                // the final chunk takes anything above too: nothing may survive its room
                delete.setLong(3, last ? Long.MAX_VALUE : to);
                delete.executeUpdate();
            }
            if (last) {
                purge.deletion.last().run(c);
            }
            commit(c);
        } catch (SQLException | RuntimeException | Error e) {
            log.error("Could not purge the messages of deleted room '{}'", room, e);
            rollback();
            if (++purge.failures == PURGE_ATTEMPTS) {
                purges.poll();
                purge.done.tryEmitError(new ChatException(ErrorCode.INTERNAL, "the room could not be deleted"));
            }
            return;
        }
        purge.failures = 0;
        purge.from = to;
        if (last) {
            purges.poll();
            // the name is free before anyone hears of the deletion
            purge.done.tryEmitEmpty();
            runHook(purge.onPurged);
        }
    }

    /** The highest seq of a room's stored messages (what a deletion purges up to). */
    private static long maxStoredSeq(Connection c, String room) throws SQLException {
        try (PreparedStatement max = c.prepareStatement("SELECT MAX(seq) FROM messages WHERE room = ?")) {
            max.setString(1, room);
            try (ResultSet rs = max.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Rolls back and drops the connection: the failed batch's seqs were never taken (its counter moves roll back). */
    private void rollback() {
        if (connection != null) {
            try {
                connection.rollback();
                connection.close();
            } catch (SQLException e) {
                log.debug("Closing the writer connection after a failure", e);
            }
            connection = null;
            insert = null;
            takeSeqs = null;
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

    private PreparedStatement insert(Connection c) throws SQLException {
        if (insert == null) {
            insert = c.prepareStatement(INSERT);
        }
        return insert;
    }

    private PreparedStatement takeSeqs(Connection c) throws SQLException {
        if (takeSeqs == null) {
            takeSeqs = RoomSeqs.prepare(c);
        }
        return takeSeqs;
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
            insert = null;
            takeSeqs = null;
        }
    }
}
