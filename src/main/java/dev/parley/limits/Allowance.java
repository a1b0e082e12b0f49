package dev.parley.limits;

import dev.parley.stats.Limit;
import dev.parley.stats.ParleyMetrics;

import java.util.function.LongSupplier;

/**
 * One connection's allowance: its frame rate, and its strikes. Every {@code rate_limited} answer
 * costs a strike (one comes back every {@value #STRIKE_RETURN_SECONDS} seconds); a connection
 * out of strikes is abusing the server and is closed with 1008.
 */
public final class Allowance {
    static final int STRIKE_RETURN_SECONDS = 10;

    /** What to do with a frame, or after a refusal. */
    public enum Verdict {
        /** Go ahead. */
        PASS,
        /** Answer {@code rate_limited}; the connection stays. */
        LIMITED,
        /** Close with 1008. */
        ABUSE
    }

    private final TokenBucket frames;
    private final TokenBucket strikes;
    private final ParleyMetrics metrics;

    Allowance(int framesBurst, double framesPerSecond, int strikes, LongSupplier nanoClock, ParleyMetrics metrics) {
        this.frames = new TokenBucket(framesBurst, framesPerSecond, nanoClock);
        this.strikes = new TokenBucket(strikes, 1.0 / STRIKE_RETURN_SECONDS, nanoClock);
        this.metrics = metrics;
    }

    /** A frame arrived: within the rate, or refused (and a strike taken). */
    public Verdict frame() {
        if (frames.tryTake()) {
            return Verdict.PASS;
        }
        metrics.refused(Limit.FRAMES);
        return strike();
    }

    /** Something this connection asked for was refused as {@code rate_limited}: a strike. */
    public Verdict strike() {
        if (strikes.tryTake()) {
            return Verdict.LIMITED;
        }
        metrics.refused(Limit.ABUSE);
        return Verdict.ABUSE;
    }
}
