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
    public synchronized boolean tryTake() {
        refill();
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /** Whether the bucket has refilled completely: it then behaves exactly like a new one. */
    public synchronized boolean isFull() {
        refill();
        return tokens >= burst;
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
        refilledAt = now;
    }
}
