package dev.parley.storage;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.storage.sql.Jdbc;
import dev.parley.storage.sql.JdbcWork;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The store's own threads, the only ones the chat's reads and writes use: one writer (group commit) and a
 * small pool for reads. None is an event loop, so BlockHound lets them block.
 * <p>
 * Two rules keep the event loops that submit work here non-blocking and the store safe:
 * <ul>
 * <li>Hand-off is lock-free: a {@link LinkedTransferQueue} and threads started up front, so
 *     {@code execute} never takes a lock (a contended {@code ReentrantLock} parks the event
 *     loop). The read backlog is bounded by a counter instead of a bounded queue.</li>
 * <li>Nothing here is interrupted: a cancelled read finishes and its result is dropped
 *     (cancelling a Reactor scheduler task interrupts its thread, and an interrupt in the
 *     middle of a driver's I/O can break its connection: H2 closed its whole file).</li>
 * </ul>
 */
final class StoreThreads implements AutoCloseable {
    private final ThreadPoolExecutor writer = prestarted(1, "parley-store-writer");
    private final ThreadPoolExecutor readers;
    private final AtomicInteger pendingReads = new AtomicInteger();
    private final int readBacklog;

    StoreThreads(int readThreads, int readBacklog) {
        this.readers = prestarted(readThreads, "parley-store-read");
        this.readBacklog = readBacklog;
    }

    ThreadPoolExecutor writer() {
        return writer;
    }

    /** Runs a read on a read thread; errors with {@code rate_limited} when too many reads wait. */
    <T> Mono<T> read(DataSource dataSource, JdbcWork<T> work) {
        return Mono.fromFuture(() -> {
            if (pendingReads.incrementAndGet() > readBacklog) {
                pendingReads.decrementAndGet();
                return CompletableFuture.failedFuture(
                        new ChatException(ErrorCode.RATE_LIMITED, "the store is busy; retry shortly"));
            }
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return Jdbc.call(dataSource, work);
                } finally {
                    pendingReads.decrementAndGet();
                }
            }, readers);
        }, true);
    }

    /** Runs a task on the writer after everything queued before it; waits at most {@code timeout}. */
    void runOnWriter(Runnable task, Duration timeout) throws Exception {
        CompletableFuture.runAsync(task, writer).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        writer.shutdown();
        readers.shutdown();
    }

    private static ThreadPoolExecutor prestarted(int threads, String prefix) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new LinkedTransferQueue<>(), factory);
        // all workers exist before the first submit: execute() then only offers to the lock-free queue
        executor.prestartAllCoreThreads();
        return executor;
    }
}
