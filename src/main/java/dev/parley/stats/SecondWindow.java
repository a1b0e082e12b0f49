package dev.parley.stats;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Event counts over the last minute in one-second slots; lock-free to record. A slot is
 * reset lazily when its second comes round again, so a quiet counter costs nothing.
 */
final class SecondWindow {
    private static final int SLOTS = 64;
    private final AtomicLongArray counts = new AtomicLongArray(SLOTS);
    private final AtomicLongArray seconds = new AtomicLongArray(SLOTS);

    void record(long nowSecond, long n) {
        int slot = (int) (nowSecond % SLOTS);
        long seen = seconds.get(slot);
        if (seen != nowSecond && seconds.compareAndSet(slot, seen, nowSecond)) {
            counts.set(slot, 0);
        }
        counts.addAndGet(slot, n);
    }

    /** Events in the {@code n} whole seconds before {@code nowSecond}. */
    long sum(long nowSecond, int n) {
        long total = 0;
        for (long s = nowSecond - n; s < nowSecond; s++) {
            int slot = (int) (s % SLOTS);
            if (seconds.get(slot) == s) {
                total += counts.get(slot);
            }
        }
        return total;
    }

    /** Whether nothing was recorded in the last minute. */
    boolean idle(long nowSecond) {
        return sum(nowSecond + 1, 61) == 0;
    }
}
