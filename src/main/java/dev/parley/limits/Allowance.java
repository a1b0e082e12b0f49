package dev.parley.limits;

import dev.parley.stats.Limit;
import dev.parley.stats.ParleyMetrics;

import java.util.function.LongSupplier;

/**
 * One connection's allowance: its frame rate, and its strikes toward being closed (1008).
 * <p>
 * A refusal tells the client how long to wait. Refusals come in runs: a run starts with a refusal
 * while none is under way, and ends at the first request that comes at least the longest wait told in
 * the run after the request before it (the client went quiet as told). Within a run, requests the client sent
 * before it could have heard the run's first refusal are a pipelined burst: refused, but free. The client
 * has heard once it answers the ping sent right behind that refusal ({@link #heard}), or at the latest
 * {@code grace} after it. From then on every refusal of the run costs a strike; one strike comes back
 * every {@value #STRIKE_RETURN_SECONDS} seconds, and a connection out of strikes is abusing the server.
 * Thread-safe: requests of one connection may be decided on several threads, under a short monitor.
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
    private boolean heard;
    private long marker;
    private long lastArrival;
    private long runWait;

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
     * @param marker       non-zero on a run's first refusal: send a ping with this number right behind the
     *                     refusal, and call {@link #heard} with it when its pong comes back
     */
    public record Verdict(Outcome outcome, long retryAfterMs, long marker) {
        public static final Verdict PASS = new Verdict(Outcome.PASS, 0, 0);
        public static final Verdict ABUSE = new Verdict(Outcome.ABUSE, 0, 0);

        public boolean passed() {
            return outcome == Outcome.PASS;
        }
    }

    /** A frame arrived: within the rate, or refused. */
    public synchronized Verdict frame() {
        long now = nanoClock.getAsLong();
        endRunIfQuiet(now);
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

    /** The pong of a refusal's ping came back: the client has had that refusal. */
    public synchronized void heard(long pongMarker) {
        if (inRun && pongMarker == marker) {
            heard = true;
        }
    }

    private Verdict refused(long now, long waitNanos) {
        long sendMarker = 0;
        if (!inRun) {
            inRun = true;
            runStartedAt = now;
            heard = false;
            runWait = 0;
            sendMarker = ++marker;
        }
        runWait = Math.max(runWait, waitNanos);
        boolean pipelined = !heard && now - runStartedAt < graceNanos;
        if (pipelined || strikes.tryTake()) {
            return new Verdict(Outcome.LIMITED, RateLimitedException.retryMillis(waitNanos), sendMarker);
        }
        metrics.refused(Limit.ABUSE);
        return Verdict.ABUSE;
    }

    private void endRunIfQuiet(long now) {
        if (inRun && now - lastArrival >= runWait) {
            inRun = false;
        }
    }
}
