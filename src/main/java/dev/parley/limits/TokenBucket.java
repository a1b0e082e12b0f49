package dev.parley.limits;

import java.util.function.LongSupplier;

/**
 * A token bucket: holds at most {@code burst} tokens, refilled at {@code perSecond}. Thread-safe;
 * the monitor is held for a few arithmetic operations only, so event loops may share a bucket.
 */
public final class TokenBucket {
    private final double burst;
    private final double perNano;
    private final LongSupplier nanoClock;
    private double tokens;
    private long refilledAt;

    public TokenBucket(int burst, double perSecond, LongSupplier nanoClock) {
        this.burst = burst;
        this.perNano = perSecond / 1e9;
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.refilledAt = nanoClock.getAsLong();
    }

    /** Takes a token if there is one. */
    public boolean tryTake() {
        return take() == 0;
    }

    /**
     * Takes a token if there is one.
     *
     * @return 0 when taken; otherwise how many nanoseconds until a token will be there (at least 1)
     */
    public long take() {
        return take(1);
    }

    /**
     * Takes {@code cost} tokens (at most a full bucket's) if they are there.
     *
     * @return 0 when taken; otherwise how many nanoseconds until they will be there (at least 1)
     */
    public synchronized long take(double cost) {
        refill();
        double needed = Math.min(cost, burst);
        if (tokens >= needed) {
            tokens -= needed;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((needed - tokens) / perNano));
    }

    /** Returns a token taken earlier (the thing it paid for did not count after all), never beyond the burst. */
    public synchronized void giveBack() {
        refill();
        tokens = Math.min(burst, tokens + 1);
    }

    /** Whether the bucket has refilled completely: it then behaves exactly like a new one. */
    public synchronized boolean isFull() {
        refill();
        return tokens >= burst;
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        // a clock that stepped back refills nothing
        if (now > refilledAt) {
            tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
            refilledAt = now;
        }
    }
}
