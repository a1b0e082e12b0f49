package dev.parley.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every connection of one load client saw: counts, error codes and latencies.
 * Written by the generator's event loop, read by the scenario thread between measurement windows.
 */
public final class Tally {

    private static final long MAX_LATENCY = TimeUnit.SECONDS.toNanos(60);

    public final LongAdder messages = new LongAdder();
    public final LongAdder acks = new LongAdder();
    public final LongAdder otherFrames = new LongAdder();
    public final LongAdder connectFailures = new LongAdder();
    public final LongAdder closes = new LongAdder();
    private final Map<String, LongAdder> errorCodes = new ConcurrentHashMap<>();
    private final Recorder deliveryLatency = new Recorder(MAX_LATENCY, 3);
    private final Recorder ackLatency = new Recorder(MAX_LATENCY, 3);
    private volatile String firstFailure;

    void delivered(long sentNanos, long nowNanos) {
        messages.increment();
        if (sentNanos > 0) {
            deliveryLatency.recordValue(clamp(nowNanos - sentNanos));
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

    /** Send-to-ack latencies since the last call (the window is reset). */
    public Histogram takeAckLatency() {
        return ackLatency.getIntervalHistogram();
    }
}
