package dev.parley.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every connection of one load client saw: counts, error codes and latencies.
 * Written by the generator's event loop, read by the scenario thread between measurement windows.
 */
public final class Tally {

    private static final long MAX_LATENCY = TimeUnit.SECONDS.toNanos(60);
    /**
     * A diagnosis aid, off unless {@code BENCH_TRACE_LATE_MS} is set: deliveries later than that are counted
     * per 10 ms of wall-clock receipt, so that bursts of late ones can be laid beside a server's GC log.
     */
    private static final long TRACE_LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(
            Long.parseLong(System.getenv().getOrDefault("BENCH_TRACE_LATE_MS", "0")));

    public final LongAdder messages = new LongAdder();
    public final LongAdder acks = new LongAdder();
    public final LongAdder otherFrames = new LongAdder();
    public final LongAdder connectFailures = new LongAdder();
    public final LongAdder closes = new LongAdder();
    private final Map<String, LongAdder> errorCodes = new ConcurrentHashMap<>();
    private final Recorder deliveryLatency = new Recorder(MAX_LATENCY, 3);
    private final Recorder ackLatency = new Recorder(MAX_LATENCY, 3);
    private volatile String firstFailure;
    private final Map<Long, LongAdder> lateByTenMillis = new ConcurrentHashMap<>();

    void delivered(long sentNanos, long nowNanos) {
        messages.increment();
        if (sentNanos > 0) {
            deliveryLatency.recordValue(clamp(nowNanos - sentNanos));
            if (TRACE_LATE_NANOS > 0 && nowNanos - sentNanos > TRACE_LATE_NANOS) {
                lateByTenMillis.computeIfAbsent(System.currentTimeMillis() / 10, t -> new LongAdder()).increment();
            }
        }
    }

    void acked(long sentNanos, long nowNanos) {
        acks.increment();
        if (sentNanos > 0) {
            ackLatency.recordValue(clamp(nowNanos - sentNanos));
        }
    }

    private static long clamp(long nanos) {
        return Math.max(0, Math.min(nanos, MAX_LATENCY));
    }

    void error(String code) {
        errorCodes.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    void closed() {
        closes.increment();
    }

    void failed(Throwable cause) {
        connectFailures.increment();
        if (firstFailure == null) {
            firstFailure = String.valueOf(cause);
        }
    }

    public String firstFailure() {
        return firstFailure;
    }

    public long errors() {
        return errorCodes.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Delivery latencies since the last call (the window is reset). */
    public Histogram takeDeliveryLatency() {
        return deliveryLatency.getIntervalHistogram();
    }

    /** Whether late deliveries are traced ({@code BENCH_TRACE_LATE_MS}). */
    public static boolean tracingLate() {
        return TRACE_LATE_NANOS > 0;
    }

    /** Late deliveries since the last call, by wall-clock 10 ms slot (epoch millis / 10), in time order. */
    public SortedMap<Long, Long> takeLate() {
        SortedMap<Long, Long> taken = new TreeMap<>();
        lateByTenMillis.keySet().forEach(slot -> taken.put(slot, lateByTenMillis.remove(slot).sum()));
        return taken;
    }

    /** Send-to-ack latencies since the last call (the window is reset). */
    public Histogram takeAckLatency() {
        return ackLatency.getIntervalHistogram();
    }
}
