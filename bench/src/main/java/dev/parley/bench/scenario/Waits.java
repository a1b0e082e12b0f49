package dev.parley.bench.scenario;

import dev.parley.bench.load.LoadConnection;
import dev.parley.bench.load.Tally;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Pauses between benchmark phases (the benchmark runs in real time; these are not tests). */
public final class Waits {

    private Waits() {
    }

    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static <T> T await(CompletableFuture<T> future, Duration timeout) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("gave up after " + timeout, e);
        }
    }

    /** Waits until the generator has received nothing for {@code quiet} (at most {@code max}). */
    public static void quiet(Tally tally, Duration quiet, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        long last = frames(tally);
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(100));
            long now = frames(tally);
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange >= quiet.toNanos()) {
                return;
            }
        }
    }

    private static long frames(Tally tally) {
        return tally.messages.sum() + tally.acks.sum() + tally.otherFrames.sum() + tally.closes.sum();
    }

    /** Closes the connections and waits until they are all gone. */
    public static void closeAll(List<LoadConnection> connections) {
        connections.forEach(LoadConnection::close);
        await(CompletableFuture.allOf(connections.stream().map(LoadConnection::closed)
                .toArray(CompletableFuture[]::new)), Duration.ofSeconds(60));
    }
}
