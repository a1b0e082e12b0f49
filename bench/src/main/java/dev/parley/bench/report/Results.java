package dev.parley.bench.report;

import java.util.List;
import java.util.Map;

/** Everything one benchmark run measured, as written to {@code results.json} and read by the report. */
public final class Results {

    private Results() {
    }

    /** The run as a whole: where and how it was measured, and each server's figures by name. */
    public record Run(Environment environment, Map<String, Target> targets) {
    }

    public record Environment(String date, String cpu, int cores, String kernel, String serverJava,
                              List<String> serverJvmFlags, String generatorJava, String netty, String pinning,
                              long openFilesLimit, boolean smoke) {
    }

    /** One server's figures; a null part was not run, an {@code unsupported} text says why not. */
    public record Target(String name, List<MemoryPoint> idle, String idleNote, List<LoadPoint> oneRoom,
                         StallResult stalled, List<LoadPoint> manyRooms, String manyRoomsUnsupported,
                         List<IngestPoint> ingest, HoldResult hold) {
    }

    /** S1: memory at {@code connections} idle connections, relative to the same server with none. */
    public record MemoryPoint(int connections, int failures, long heapBytes, long rssBytes,
                              double heapPerConnection, double offHeapPerConnection) {
        public double perConnection() {
            return heapPerConnection + offHeapPerConnection;
        }
    }

    /** S2, S3 and S5: one step of a publish-rate ramp. Latencies in milliseconds. */
    public record LoadPoint(double offeredMessages, double offeredDeliveries, double delivered,
                            double p50, double p99, double p999, double max,
                            double serverCpuMicrosPerDelivery, double serverSystemShare, double serverCpuPercent,
                            double generatorCpuPercent, long errors, long closes, double stealPercent) {
    }

    /** S5: one member of the S2 room stops reading; how the others fared and what became of it. */
    public record StallResult(LoadPoint others, double referenceP99, int stalledCloseCode) {
    }

    /** S4: acked messages per second with this many publishers, each keeping a window of sends open. */
    /**
     * @param ownRooms whether the publishers sent into rooms of Parley's (false: all in the baseline's {@code general})
     * @param hotRoom  whether they all sent into one room they were all members of (false: one room each)
     */
    public record IngestPoint(int publishers, int window, boolean ownRooms, double ackedPerSecond,
                              double ackP50, double ackP99, double serverCpuMicrosPerMessage, long errors,
                              boolean hotRoom) {
    }

    /** Many connections held open for a while: did any fail or get closed? */
    public record HoldResult(int requested, int held, long seconds, long failures, long closes, long errors,
                             long rssBytes, String note) {
    }
}
