package dev.parley.storage.writer;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame.Message;
import dev.parley.stats.ParleyMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

import java.sql.SQLException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The store's one line of writes, in the order they were submitted: messages batched into one transaction per
 * {@link AppendBatch} (every append waiting when the writer thread becomes free, up to {@code batchMax}); every
 * other write in its own transaction, after the appends queued before it; a deleted room's messages purged in
 * chunks between batches ({@link RoomPurges}).
 * <p>
 * Threading: the submitting methods are lock-free and may be called from any thread (an event loop too);
 * everything else runs on the single writer thread, which owns the JDBC connection. A full line
 * ({@code queueMax} waiting) refuses at once with {@code rate_limited}.
 */
public final class StoreWriter {
    private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
    /** Messages deleted per purge transaction. */
    public static final int PURGE_CHUNK = RoomPurges.CHUNK;

    private final Executor thread;
    private final ParleyMetrics metrics;
    private final int queueMax;
    private final Queue<Pending> queue = Queues.<Pending>unboundedMultiproducer().get();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger wip = new AtomicInteger();
    private final WriterConnection connection;
    private final AppendBatch batch;
    private final RoomPurges purges = new RoomPurges();

    public StoreWriter(DataSource dataSource, Executor thread, ParleyMetrics metrics, int batchMax, int queueMax) {
        this.connection = new WriterConnection(dataSource);
        this.batch = new AppendBatch(batchMax);
        this.thread = thread;
        this.metrics = metrics;
        this.queueMax = queueMax;
    }

    /**
     * Queues a message; the Mono gives it with its seq once committed, after {@code onCommitted} has run (on the
     * writer thread, in seq order per room, even if the caller cancelled). {@code roomExists} is asked when its turn
     * comes: no, and it fails with {@code no_such_room} with nothing stored.
     */
    public Mono<Message> append(String room, String from, String text, BooleanSupplier roomExists,
                                Consumer<Message> onCommitted) {
        return Mono.create(sink -> {
            if (take()) {
                offer(new Pending.Append(room, from, text, roomExists, onCommitted, sink));
            } else {
                sink.error(busy());
            }
        });
    }

    /**
     * Submits statements in their own transaction, now, in queue order; the Mono tells when they are committed.
     * Every such write can be caused by a client, so it counts against {@code queueMax} with the appends.
     *
     * @throws ChatException {@code rate_limited} at once, with nothing submitted, while the line is full: the
     *                       caller changes nothing in memory either
     */
    public Mono<Void> write(Runnable onCommitted, Statements statements) {
        if (!take()) {
            throw busy();
        }
        return submit(statements, null, onCommitted, true);
    }

    /**
     * Like {@link #write(Runnable, Statements)}, but never refused: for what the server decided rather than a client
     * asked (a departed guest's memberships, a dead node's), which must not be lost to a full line.
     */
    public Mono<Void> writeAlways(Runnable onCommitted, Statements statements) {
        return submit(statements, null, onCommitted, false);
    }

    /** Like {@link #write(Runnable, Statements)}, for a write that needs no hook. */
    public Mono<Void> write(Statements statements) {
        return write(() -> {
        }, statements);
    }

    /**
     * Deletes a room: {@code first} now, in queue order, its messages in chunks after it, and {@code last}
     * with the final chunk; then the Mono completes and {@code onDeleted} runs. Never refused: the server decided it.
     */
    public Mono<Void> deleteRoom(String room, Runnable onDeleted, Statements first, Statements last) {
        return submit(first, new Pending.RoomDeletion(room, last), onDeleted, false);
    }

    /** Writes waiting for the writer thread. */
    public int queued() {
        return queued.get();
    }

    /** Transactions committed so far; the checkpointer skips a round when none came since its last. */
    public long commits() {
        return connection.commits();
    }

    /**
     * Stops purging, so that shutdown waits for queued writes only, not for a big room's messages: the
     * room's row goes last, so after the restart it is a stored, empty room, deleted again after its grace.
     */
    public void stopPurging() {
        purges.stop();
    }

    /**
     * Purges again after {@link #stopPurging}: a stopped context can be started again (Spring's test framework
     * pauses idle contexts), and a purge left waiting would keep its room's name taken for good.
     */
    public void resumePurging() {
        purges.resume();
        // the drain loop picks up a purge under way even when nothing is queued
        signal();
    }

    /** Releases the connection; call on the writer thread at shutdown, after the queue is drained. */
    public void close() {
        connection.close();
    }

    private boolean take() {
        if (queued.incrementAndGet() > queueMax) {
            queued.decrementAndGet();
            return false;
        }
        return true;
    }

    private static ChatException busy() {
        return new ChatException(ErrorCode.RATE_LIMITED, "the server is busy; retry shortly");
    }

    private Mono<Void> submit(Statements statements, Pending.RoomDeletion deletion, Runnable onCommitted,
                              boolean counted) {
        Sinks.Empty<Void> done = Sinks.empty();
        offer(new Pending.Write(statements, deletion, onCommitted, done, counted));
        return done.asMono();
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

    private void drain() {
        int missed = 1;
        for (;;) {
            drainQueue();
            if (purges.pending()) {
                // nothing else waits: the purge goes on, and the queue is looked at after every chunk
                purges.deleteChunk(connection);
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
            if (next instanceof Pending.Write write) {
                if (write.counted()) {
                    // its place is given back when its turn comes, whether it then commits or fails
                    queued.decrementAndGet();
                }
                // appends queued before it commit first: queue order is store order
                if (!batch.isEmpty()) {
                    storeBatch();
                }
                store(write);
                continue;
            }
            Pending.Append append = (Pending.Append) next;
            if (!roomExists(append)) {
                // its room was deleted after the message was sent: a message must not outlive its room (or
                // land in a new one of the same name); the room's delete is queued, before or after this
                queued.decrementAndGet();
                append.sink().error(new ChatException(ErrorCode.NO_SUCH_ROOM, "no room '" + append.room() + "'"));
            } else if (batch.add(append)) {
                storeBatch();
            }
        }
        if (!batch.isEmpty()) {
            storeBatch();
        }
    }

    /** Asks whether the append's room still exists; a check that fails counts as no, never escapes the loop. */
    private static boolean roomExists(Pending.Append append) {
        try {
            return append.roomExists().getAsBoolean();
        } catch (RuntimeException e) {
            log.error("Could not tell whether room '{}' exists", append.room(), e);
            return false;
        }
    }

    /** Stores the batch, then lets a purge under way take one chunk, so a long purge and ingest share the writer. */
    private void storeBatch() {
        List<Pending.Append> appends = batch.appends();
        queued.addAndGet(-appends.size());
        long started = System.nanoTime();
        List<Message> stored;
        try {
            stored = batch.insert(connection);
            connection.commit();
        } catch (SQLException | RuntimeException | Error e) {
            // an Error too: escaping here would leave the drain loop's counter up and the writer silent for good
            log.error("Could not store a batch of {} messages", appends.size(), e);
            connection.rollback();
            stored = null;
        }
        if (stored == null) {
            Handoff.failed(appends);
        } else {
            metrics.batchCommitted(appends.size(), System.nanoTime() - started);
            Handoff.committed(appends, stored);
        }
        batch.clear();
        if (purges.pending()) {
            purges.deleteChunk(connection);
        }
    }

    private void store(Pending.Write write) {
        long upTo = 0;
        try {
            write.statements().run(connection.get());
            if (write.deletion() != null) {
                upTo = RoomPurges.upTo(connection, write.deletion().room());
            }
            connection.commit();
        } catch (ChatException refused) {
            // the write's own refusal (its room is gone): the client's answer, not a fault
            connection.rollback();
            write.done().tryEmitError(refused);
            return;
        } catch (SQLException | RuntimeException | Error e) {
            log.error("Could not store a room change", e);
            connection.rollback();
            // the writer is the sole emitter of this sink: FAIL_* cannot happen
            write.done().tryEmitError(new ChatException(ErrorCode.INTERNAL, "the change could not be stored"));
            return;
        }
        if (write.deletion() == null) {
            Handoff.run(write.onCommitted());
            write.done().tryEmitEmpty();
        } else {
            purges.add(write, upTo);
        }
    }
}
