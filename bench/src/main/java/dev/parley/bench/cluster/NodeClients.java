package dev.parley.bench.cluster;

import dev.parley.bench.load.LoadClient;
import dev.parley.bench.load.LoadConnection;
import dev.parley.bench.load.Tally;
import dev.parley.bench.scenario.Waits;
import dev.parley.bench.server.ServerProcess;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Guests on every node of a stack, from one generator event loop, with a tally per node so that what the
 * clients of each node saw can be told apart.
 */
final class NodeClients implements AutoCloseable {

    private final List<ServerProcess> nodes;
    private final LoadClient client;
    private final List<Tally> tallies = new ArrayList<>();
    private final List<List<LoadConnection>> connections = new ArrayList<>();

    /** Opens {@code perNode} connections to every node, named {@code prefix<node>x<i>}. */
    NodeClients(List<ServerProcess> nodes, int perNode, String prefix) {
        this.nodes = nodes;
        this.client = new LoadClient(nodes.get(0).address(), "/ws");
        for (int n = 0; n < nodes.size(); n++) {
            Tally tally = new Tally();
            tallies.add(tally);
            String name = prefix + n + "x";
            connections.add(Waits.await(client.open(perNode, i -> name + i, 64, nodes.get(n).address(), tally),
                    Duration.ofMinutes(2)));
        }
        settle();
    }

    LoadClient client() {
        return client;
    }

    List<LoadConnection> on(int node) {
        return connections.get(node);
    }

    /** Waits until nothing has arrived anywhere for half a second. */
    void settle() {
        tallies.forEach(t -> Waits.quiet(t, Duration.ofMillis(500), Duration.ofSeconds(30)));
    }

    /** What the clients counted over one measurement window; latency histograms split by the receivers' node. */
    record Measured(double seconds, long messages, long acks, long errors, long closes, double serverCpuPercent,
                    Histogram firstNode, Histogram otherNodes, Histogram acked) {
    }

    /** Measures for {@code length}: from now on, what the clients count and the CPU time of every node. */
    Measured measure(Duration length) {
        takeDelivery(0, tallies.size());
        takeAcks();
        long messages = messages();
        long acks = acks();
        long errors = errors();
        long closes = closes();
        long cpu = serverCpuNanos();
        long start = System.nanoTime();
        Waits.sleep(length);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Measured(seconds, messages() - messages, acks() - acks, errors() - errors, closes() - closes,
                100.0 * (serverCpuNanos() - cpu) / 1e9 / seconds, takeDelivery(0, 1), takeDelivery(1, tallies.size()),
                takeAcks());
    }

    private long serverCpuNanos() {
        return nodes.stream().mapToLong(n -> n.cpu().totalNanos()).sum();
    }

    /** Delivery latencies since the last call on the given nodes' clients, merged. */
    private Histogram takeDelivery(int fromNode, int toNode) {
        Histogram merged = new Histogram(3);
        for (int n = fromNode; n < toNode; n++) {
            merged.add(tallies.get(n).takeDeliveryLatency());
        }
        return merged;
    }

    /** Ack latencies since the last call, all nodes' clients merged. */
    private Histogram takeAcks() {
        Histogram merged = new Histogram(3);
        tallies.forEach(t -> merged.add(t.takeAckLatency()));
        return merged;
    }

    private long messages() {
        return tallies.stream().mapToLong(t -> t.messages.sum()).sum();
    }

    private long acks() {
        return tallies.stream().mapToLong(t -> t.acks.sum()).sum();
    }

    private long errors() {
        return tallies.stream().mapToLong(Tally::errors).sum();
    }

    private long closes() {
        return tallies.stream().mapToLong(t -> t.closes.sum()).sum();
    }

    static double millis(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1e6;
    }

    @Override
    public void close() {
        connections.forEach(Waits::closeAll);
        client.close();
    }
}
