package dev.parley.limits;

import dev.parley.stats.Limit;
import dev.parley.stats.ParleyMetrics;

import java.util.function.LongSupplier;

/**
 * One connection's allowance: its frame rate, and its strikes toward being closed (1008).
 * <p>
 * A refusal tells the client how long to wait: until its own request would pass, and never less than a
 * refusal before it in the same run was told, so every refusal of a run points at one retry time.
 * Refusals come in runs. A run starts with a refusal while none is under way, and ends at the first
 * request that arrives at or after the run's retry time after a pause of at least the run's first wait
 * (or the grace, if shorter): the client went quiet as told. A client that keeps sending never pauses,
 * so its run goes on.
 * <p>
 * The first {@code grace} of a run is a pipelined burst, sent before the client could have read its first
 * refusal (and a send loop still running as it does): refused, but free. After the grace every refusal of
 * the run costs a strike; one strike comes back every {@value #STRIKE_RETURN_SECONDS} seconds, and a
 * connection out of strikes is abusing the server. Thread-safe: requests of one connection may be decided
 * on several threads, under a short monitor.
 */
public final class Allowance {
    static final int STRIKE_RETURN_SECONDS = 10;

    private final TokenBucket frames;
    private final TokenBucket strikes;
    private final LongSupplier nanoClock;
    private final long graceNanos;
    private final ParleyMetrics metrics;
    private boolean inRun;
    private long runStartedAt;
    private long firstWait;
    private long retryAt;
    private long lastArrival;

    Allowance(int framesBurst, double framesPerSecond, int strikes, long graceNanos, LongSupplier nanoClock,
              ParleyMetrics metrics) {
        this.frames = new TokenBucket(framesBurst, framesPerSecond, nanoClock);
        this.strikes = new TokenBucket(strikes, 1.0 / STRIKE_RETURN_SECONDS, nanoClock);
        this.nanoClock = nanoClock;
        this.graceNanos = graceNanos;
        this.metrics = metrics;
    }

    /** What to do with a request. */
    public enum Outcome {
        /** Go ahead. */
        PASS,
        /** Answer {@code rate_limited} with {@link Verdict#retryAfterMs}; the connection stays. */
        LIMITED,
        /** Close with 1008. */
        ABUSE
    }

    /**
     * A decision.
     *
     * @param retryAfterMs how long the client should wait (for {@link Outcome#LIMITED})
     */
    public record Verdict(Outcome outcome, long retryAfterMs) {
        public static final Verdict PASS = new Verdict(Outcome.PASS, 0);
        public static final Verdict ABUSE = new Verdict(Outcome.ABUSE, 0);

        public boolean passed() {
            return outcome == Outcome.PASS;
        }
    }

    /** A frame arrived: within the rate, or refused. */
    public synchronized Verdict frame() {
        long now = nanoClock.getAsLong();
        if (inRun && now - retryAt >= 0 && now - lastArrival >= Math.min(firstWait, graceNanos)) {
            inRun = false;
        }
        lastArrival = now;
        long wait = frames.take();
        if (wait == 0) {
            return Verdict.PASS;
        }
        metrics.refused(Limit.FRAMES);
        return refused(now, wait);
    }

    /**
     * Something this connection asked for (in a frame that passed {@link #frame}) was refused as
     * {@code rate_limited}, to be retried after {@code waitNanos}.
     */
    public synchronized Verdict refused(long waitNanos) {
        return refused(nanoClock.getAsLong(), waitNanos);
    }

    private Verdict refused(long now, long waitNanos) {
        if (!inRun) {
            inRun = true;
            runStartedAt = now;
            firstWait = waitNanos;
            retryAt = now;
        }
        retryAt = Math.max(retryAt, now + waitNanos);
        long told = retryAt - now;
        boolean pipelined = now - runStartedAt < graceNanos;
        if (pipelined || strikes.tryTake()) {
            return new Verdict(Outcome.LIMITED, RateLimitedException.retryMillis(told));
        }
        metrics.refused(Limit.ABUSE);
        return Verdict.ABUSE;
    }
}
