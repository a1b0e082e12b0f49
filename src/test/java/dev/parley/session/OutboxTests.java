package dev.parley.session;

import dev.parley.stats.DropReason;
import dev.parley.stats.LiveRates;
import dev.parley.stats.ParleyMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxTests {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ParleyMetrics metrics = new ParleyMetrics(new SimpleMeterRegistry(), new LiveRates());
    private final AtomicInteger overflows = new AtomicInteger();
    private ExecutorService producers;

    @AfterEach
    void stopProducers() {
        if (producers != null) {
            producers.shutdownNow();
        }
    }

    @Test
    void ephemeralFramesAreDroppedOnceMoreThanTheEphemeralLimitIsQueued() {
        Outbox outbox = outbox(1000, 100);
        Outgoing message = frame(Outgoing.Kind.MESSAGE, 100);
        Outgoing typing = frame(Outgoing.Kind.EPHEMERAL, 10);
        Outgoing lagging = frame(Outgoing.Kind.EPHEMERAL, 10);
        Outgoing later = frame(Outgoing.Kind.EPHEMERAL, 10);

        assertThat(outbox.offer(message)).isTrue();
        // exactly at the limit: still admitted
        assertThat(outbox.offer(typing)).isTrue();
        assertThat(outbox.offer(lagging)).isFalse();
        assertThat(metrics.framesDropped(DropReason.LAGGING)).isEqualTo(1);

        StepVerifier.create(outbox.frames(), 0)
                .thenRequest(2)
                .expectNext(message, typing)
                // the writer caught up: ephemeral frames flow again
                .then(() -> assertThat(outbox.offer(later)).isTrue())
                .thenRequest(1)
                .expectNext(later)
                .thenCancel()
                .verify(TIMEOUT);
        assertThat(metrics.framesDropped(DropReason.LAGGING)).isEqualTo(1);
        assertThat(overflows).hasValue(0);
    }

    @Test
    void messageOverflowCutsOffTheConnectionAndDropsTheBacklog() {
        Outbox outbox = outbox(100, 50);
        Outgoing first = frame(Outgoing.Kind.MESSAGE, 60);
        Outgoing second = frame(Outgoing.Kind.MESSAGE, 40);

        assertThat(outbox.offer(first)).isTrue();
        // exactly at capacity: still admitted
        assertThat(outbox.offer(second)).isTrue();
        assertThat(overflows).hasValue(0);
        assertThat(outbox.offer(frame(Outgoing.Kind.MESSAGE, 1))).isFalse();

        assertThat(outbox.ended()).isTrue();
        assertThat(overflows).hasValue(1);

        // the writer gets nothing of the backlog, with or without demand: the client resumes from its last seq
        StepVerifier.create(outbox.frames(), 0)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void overflowCallbackRunsExactlyOnce() {
        Outbox outbox = outbox(100, 50);
        outbox.offer(frame(Outgoing.Kind.MESSAGE, 100));

        for (int i = 0; i < 5; i++) {
            assertThat(outbox.offer(frame(Outgoing.Kind.MESSAGE, 10))).isFalse();
        }

        assertThat(overflows).hasValue(1);
        assertThat(metrics.framesDropped(DropReason.CLOSED)).isEqualTo(4);
    }

    @Test
    void overflowWhileTheWriterIsWaitingEndsItsStream() {
        Outbox outbox = outbox(100, 50);
        Outgoing taken = frame(Outgoing.Kind.MESSAGE, 10);

        StepVerifier.create(outbox.frames(), 0)
                .then(() -> outbox.offer(taken))
                .thenRequest(1)
                .expectNext(taken)
                .then(() -> {
                    outbox.offer(frame(Outgoing.Kind.MESSAGE, 100));
                    outbox.offer(frame(Outgoing.Kind.MESSAGE, 1));
                })
                .thenRequest(10)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(overflows).hasValue(1);
    }

    @Test
    void repliesAreAdmittedBeyondCapacity() {
        Outbox outbox = outbox(100, 50);
        Outgoing first = frame(Outgoing.Kind.REPLY, 80);
        Outgoing second = frame(Outgoing.Kind.REPLY, 80);

        assertThat(outbox.offer(first)).isTrue();
        assertThat(outbox.offer(second)).isTrue();

        assertThat(outbox.queuedBytes()).isEqualTo(160);
        assertThat(outbox.ended()).isFalse();
        assertThat(overflows).hasValue(0);
        StepVerifier.create(outbox.frames(), 0)
                .thenRequest(2)
                .expectNext(first, second)
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void pingsAreAdmittedBeyondCapacity() {
        Outbox outbox = outbox(100, 50);
        outbox.offer(frame(Outgoing.Kind.REPLY, 150));

        assertThat(outbox.offer(KeepAlive.PING)).isTrue();
        assertThat(outbox.ended()).isFalse();
    }

    @Test
    void whenWritableCompletesAtOnceWithinCapacity() {
        Outbox outbox = outbox(100, 50);
        outbox.offer(frame(Outgoing.Kind.MESSAGE, 100));

        StepVerifier.create(outbox.whenWritable()).expectComplete().verify(TIMEOUT);
    }

    @Test
    void whenWritableWaitsUntilTheWriterTakesTheBufferBackToCapacity() {
        Outbox outbox = outbox(100, 50);
        Outgoing first = frame(Outgoing.Kind.REPLY, 50);
        Outgoing second = frame(Outgoing.Kind.REPLY, 50);
        Outgoing third = frame(Outgoing.Kind.REPLY, 50);
        outbox.offer(first);
        outbox.offer(second);
        outbox.offer(third);
        CompletableFuture<Void> writable = outbox.whenWritable().toFuture();
        CompletableFuture<Void> secondWaiter = outbox.whenWritable().toFuture();

        StepVerifier.create(outbox.frames(), 0)
                .then(() -> assertThat(writable).isNotDone())
                .thenRequest(1)
                .expectNext(first)
                // 100 bytes left: at capacity is writable
                .then(() -> assertThat(writable).isCompleted())
                .then(() -> assertThat(secondWaiter).isCompleted())
                .thenRequest(2)
                .expectNext(second, third)
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void whenWritableCompletesWhenTheOutboxEnds() {
        Outbox outbox = outbox(100, 50);
        outbox.offer(frame(Outgoing.Kind.REPLY, 150));
        CompletableFuture<Void> writable = outbox.whenWritable().toFuture();
        assertThat(writable).isNotDone();

        outbox.end(true);

        assertThat(writable).isCompleted();
        StepVerifier.create(outbox.whenWritable()).expectComplete().verify(TIMEOUT);
    }

    @Test
    void endWithoutDiscardFlushesWhatIsQueuedThenCompletes() {
        Outbox outbox = outbox(1000, 500);
        Outgoing reply = frame(Outgoing.Kind.REPLY, 10);
        Outgoing message = frame(Outgoing.Kind.MESSAGE, 10);
        Outgoing typing = frame(Outgoing.Kind.EPHEMERAL, 10);
        outbox.offer(reply);
        outbox.offer(message);
        outbox.offer(typing);

        assertThat(outbox.end(false)).isTrue();
        assertThat(outbox.end(true)).as("a second end changes nothing").isFalse();

        StepVerifier.create(outbox.frames(), 0)
                .thenRequest(1)
                .expectNext(reply)
                .thenRequest(1)
                .expectNext(message)
                .thenRequest(1)
                // the end comes right behind the last frame queued before it, without more demand
                .expectNext(typing)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void endCompletesAWaitingWriter() {
        Outbox outbox = outbox(1000, 500);

        StepVerifier.create(outbox.frames())
                .then(() -> outbox.end(false))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void offersAfterEndAreDroppedAsClosed() {
        Outbox outbox = outbox(1000, 500);
        outbox.end(false);

        assertThat(outbox.offer(frame(Outgoing.Kind.MESSAGE, 10))).isFalse();
        assertThat(outbox.offer(frame(Outgoing.Kind.REPLY, 10))).isFalse();
        assertThat(outbox.offer(frame(Outgoing.Kind.EPHEMERAL, 10))).isFalse();

        assertThat(metrics.framesDropped(DropReason.CLOSED)).isEqualTo(3);
        assertThat(overflows).hasValue(0);
        StepVerifier.create(outbox.frames()).expectComplete().verify(TIMEOUT);
    }

    @Test
    void concurrentOffersAllArriveOnceInEachProducersOrder() throws Exception {
        int threads = 4;
        int perThread = 5_000;
        Outbox outbox = outbox(1L << 30, 1L << 30);
        producers = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);

        StepVerifier writer = StepVerifier.create(outbox.frames())
                .recordWith(ArrayList::new)
                .expectNextCount((long) threads * perThread)
                .consumeRecordedWith(frames -> assertEachProducerArrivedInOrderOnce(frames, threads, perThread))
                .expectComplete()
                .verifyLater();
        List<Future<?>> offering = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int producer = t;
            offering.add(producers.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    Outgoing.Kind kind = i % 2 == 0 ? Outgoing.Kind.MESSAGE : Outgoing.Kind.REPLY;
                    assertThat(outbox.offer(new Outgoing(tag(producer, i), kind, 0))).isTrue();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : offering) {
            f.get(10, TimeUnit.SECONDS);
        }
        outbox.end(false);

        writer.verify(Duration.ofSeconds(10));
        assertThat(outbox.queuedBytes()).isZero();
        assertThat(overflows).hasValue(0);
    }

    private static void assertEachProducerArrivedInOrderOnce(Iterable<Outgoing> frames, int threads, int perThread) {
        Map<Integer, Integer> next = new HashMap<>();
        for (Outgoing frame : frames) {
            ByteBuffer tag = ByteBuffer.wrap(frame.bytes());
            int producer = tag.getInt();
            int index = tag.getInt();
            int expected = next.getOrDefault(producer, 0);
            assertThat(index).as("frame of producer %d", producer).isEqualTo(expected);
            next.put(producer, expected + 1);
        }
        assertThat(next).hasSize(threads).allSatisfy((producer, count) -> assertThat(count).isEqualTo(perThread));
    }

    private static byte[] tag(int producer, int index) {
        return ByteBuffer.allocate(8).putInt(producer).putInt(index).array();
    }

    private Outbox outbox(long capacity, long ephemeralLimit) {
        return new Outbox(capacity, ephemeralLimit, metrics, overflows::incrementAndGet);
    }

    private static Outgoing frame(Outgoing.Kind kind, int size) {
        return new Outgoing(new byte[size], kind, 0);
    }
}
