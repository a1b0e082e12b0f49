package dev.parley.limits;

import dev.parley.stats.Limit;
import dev.parley.stats.LiveRates;
import dev.parley.stats.ParleyMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Token buckets, allowances and keyed buckets on a clock the test moves. */
class TokenBucketTests {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(42 * SECOND);
    private final ParleyMetrics metrics = new ParleyMetrics(new SimpleMeterRegistry(), new LiveRates());

    @Test
    void aBurstThenTheSteadyRate() {
        TokenBucket bucket = new TokenBucket(3, 2, now::get);
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isFalse();

        now.addAndGet(SECOND / 2);
        assertThat(bucket.tryTake()).as("one token per half second").isTrue();
        assertThat(bucket.tryTake()).isFalse();

        now.addAndGet(100 * SECOND);
        assertThat(bucket.isFull()).isTrue();
        int taken = 0;
        while (bucket.tryTake()) {
            taken++;
        }
        assertThat(taken).as("never more than the burst").isEqualTo(3);
    }

    @Test
    void aRefusedTakeSaysHowLongUntilTheNextToken() {
        TokenBucket bucket = new TokenBucket(1, 4, now::get);
        assertThat(bucket.take()).isZero();
        assertThat(bucket.take()).as("a quarter second per token").isEqualTo(SECOND / 4);
        now.addAndGet(SECOND / 8);
        assertThat(bucket.take()).isEqualTo(SECOND / 8);
        now.addAndGet(SECOND / 8);
        assertThat(bucket.take()).isZero();
    }

    @Test
    void aTokenGivenBackCanBeTakenAgainButNeverBeyondTheBurst() {
        TokenBucket bucket = new TokenBucket(2, 0.001, now::get);
        bucket.take();
        bucket.giveBack();
        bucket.giveBack();
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isFalse();
    }

    @Test
    void keyedBucketsForgetKeysWhoseBucketRefilled() {
        KeyedBuckets buckets = new KeyedBuckets(2, 1, now::get);
        buckets.tryTake("alice");
        buckets.tryTake("bob");
        buckets.tryTake("bob");
        assertThat(buckets.tryTake("bob")).isFalse();
        assertThat(buckets.tryTake("alice")).as("each key its own bucket").isTrue();

        now.addAndGet(SECOND);
        buckets.sweep();
        assertThat(buckets.size()).as("both still spent in part").isEqualTo(2);
        now.addAndGet(10 * SECOND);
        buckets.sweep();
        assertThat(buckets.size()).isZero();
    }
}
