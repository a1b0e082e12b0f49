package dev.parley.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One {@link TokenBucket} per key (a user, an address), created on first use. A full bucket is
 * the same as none, so {@link #sweep()} forgets those: memory follows the keys active lately.
 */
final class KeyedBuckets {
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final int burst;
    private final double perSecond;
    private final LongSupplier nanoClock;

    KeyedBuckets(int burst, double perSecond, LongSupplier nanoClock) {
        this.burst = burst;
        this.perSecond = perSecond;
        this.nanoClock = nanoClock;
    }

    boolean tryTake(String key) {
        return take(key) == 0;
    }

    /** As {@link TokenBucket#take}: 0 when taken, else the nanoseconds until a token is there. */
    long take(String key) {
        return take(key, 1);
    }

    /** Takes {@code cost} tokens of the key's bucket: 0 when taken, else the nanoseconds until they are there. */
    long take(String key, double cost) {
        return buckets.computeIfAbsent(key, k -> new TokenBucket(burst, perSecond, nanoClock)).take(cost);
    }

    /** Returns a token taken from the key's bucket (never beyond its burst). */
    void giveBack(String key) {
        TokenBucket bucket = buckets.get(key);
        if (bucket != null) {
            bucket.giveBack();
        }
    }

    void sweep() {
        buckets.values().removeIf(TokenBucket::isFull);
    }

    int size() {
        return buckets.size();
    }
}
