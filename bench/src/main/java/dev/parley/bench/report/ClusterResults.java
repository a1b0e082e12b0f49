package dev.parley.bench.report;

import java.util.List;

/** Everything one cluster run measured, as written to {@code cluster-results.json} and read by its report. */
public final class ClusterResults {

    private ClusterResults() {
    }

    /** The run: where it was measured, and each scenario's figures (null: not run). */
    public record Run(Results.Environment environment, int nodes, List<LatencyPoint> latency,
                      List<HotRoomPoint> hotRoom, FaultResult fault, HoldResult hold) {
    }

    /**
     * One step of the cross-node ramp: the publishers are on the first node; receivers on the same node and on
     * the others are measured apart. Latencies in milliseconds; a single node has no other nodes (0).
     */
    public record LatencyPoint(String layout, int members, double offeredMessages, double offeredDeliveries,
                               double delivered, double sameNodeP50, double sameNodeP99, double otherNodesP50,
                               double otherNodesP99, double serverCpuPercent, long errors, long closes) {
    }

    /** Publishers on every node writing into one room as fast as their windows of sends allow. */
    public record HotRoomPoint(String layout, int publishers, int window, double ackedPerSecond, double ackP50,
                               double ackP99, double serverCpuPercent, long errors) {
    }

    /** One fault: what happened, and how long until every client had every acked message (-1: never, in time). */
    public record FaultEvent(String what, double secondsUntilWhole, long ackedBefore) {
    }

    /** The fault run: acked messages, and what every client received of them. */
    public record FaultResult(int clients, int publishers, double messagesPerSecond, long sent, long acked,
                              long storedUnacked, long delivered, long lost, long duplicated, long outOfOrder,
                              int reconnects, List<FaultEvent> events, String note) {
    }

    /** Memory of one node at the hold, relative to the same node after a warm-up. */
    public record NodeMemory(String node, int connections, double heapPerConnection, double offHeapPerConnection,
                             long rssBytesAtStart, long rssBytesAtEnd) {
    }

    /** Many connections held across the nodes, opened by several generator processes. */
    public record HoldResult(int requested, int held, int seconds, int generatorProcesses, long failures,
                             long closes, long errors, List<NodeMemory> nodes, String note) {
    }
}
