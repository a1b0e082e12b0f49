package dev.parley.history;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import reactor.core.publisher.Mono;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The store's own threads, the only ones that touch JDBC: one writer (group commit) and a
 * bounded pool for reads. Plain executors, not Reactor schedulers, because cancelling a
 * Reactor task interrupts its thread, and an interrupt in the middle of file I/O can
 * close an embedded database's file for everyone. Here a cancelled read just finishes
 * and its result is dropped. None of these threads is an event loop, so BlockHound lets them block.
 */
final class StoreThreads implements AutoCloseable {
    private final ExecutorService writer = Executors.newSingleThreadExecutor(named("parley-store-writer"));
    private final ThreadPoolExecutor readers;

    StoreThreads(int readThreads, int readQueue) {
        readers = new ThreadPoolExecutor(readThreads, readThreads, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(readQueue), named("parley-store-read"));
    }

    ExecutorService writer() {
        return writer;
    }

    /** Runs a read on a read thread; errors with {@code rate_limited} when the read queue is full. */
    <T> Mono<T> read(DataSource dataSource, JdbcWork<T> work) {
        return Mono.fromFuture(() -> {
            try {
                return CompletableFuture.supplyAsync(() -> Jdbc.call(dataSource, work), readers);
            } catch (RejectedExecutionException e) {
                return CompletableFuture.failedFuture(
                        new ChatException(ErrorCode.RATE_LIMITED, "the store is busy; retry shortly"));
            }
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

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
