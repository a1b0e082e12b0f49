package dev.parley.bench.cluster;

import dev.parley.bench.load.LoadConnection;
import dev.parley.bench.report.ClusterResults.LatencyPoint;
import dev.parley.bench.scenario.Pacer;
import dev.parley.bench.scenario.Waits;
import dev.parley.bench.server.ServerProcess;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * C1: cross-node delivery latency. One room ({@code general}) with its members spread evenly over the nodes;
 * ten of the first node's members publish at a ramp of rates, and the latency of receivers on the publishers'
 * node and on the other nodes is measured apart. Run on one node too, for the figure beside it.
 */
final class CrossNodeLatency {

    private static final int PUBLISHERS = 10;

    private CrossNodeLatency() {
    }

    static List<LatencyPoint> run(String layout, List<ServerProcess> nodes, int members, List<Integer> rates,
                                  int warmupSeconds, int measureSeconds) {
        List<LatencyPoint> points = new ArrayList<>();
        try (NodeClients clients = new NodeClients(nodes, members / nodes.size(), "lat")) {
            List<LoadConnection> first = clients.on(0);
            List<LoadConnection> publishers = first.subList(0, Math.min(PUBLISHERS, first.size()));
            int fanOut = members / nodes.size() * nodes.size();
            nodes.forEach(ServerProcess::collectGarbage);
            // the first seconds run the interpreter and C1 code; warm the path up first, unrecorded
            step(layout, clients, publishers, rates.get(rates.size() / 2), fanOut, warmupSeconds,
                    warmupSeconds * 3);
            for (int rate : rates) {
                LatencyPoint point = step(layout, clients, publishers, rate, fanOut, warmupSeconds, measureSeconds);
                points.add(point);
                System.out.printf("  C1 %s %,.0f deliveries/s offered: %,.0f delivered/s, same node p50 %.2f p99 %.2f ms,"
                                + " other nodes p50 %.2f p99 %.2f ms, servers %.0f%% CPU%n", layout,
                        point.offeredDeliveries(), point.delivered(), point.sameNodeP50(), point.sameNodeP99(),
                        point.otherNodesP50(), point.otherNodesP99(), point.serverCpuPercent());
                if (point.delivered() < 0.95 * point.offeredDeliveries()
                        || Math.max(point.sameNodeP99(), point.otherNodesP99()) > 1_000) {
                    break;
                }
            }
        }
        return points;
    }

    private static LatencyPoint step(String layout, NodeClients clients, List<LoadConnection> publishers, double rate,
                                     int fanOut, int warmupSeconds, int measureSeconds) {
        Pacer pacer = new Pacer(clients.client().loop(), publishers, List.of("general"), rate);
        pacer.start();
        Waits.sleep(Duration.ofSeconds(warmupSeconds));
        NodeClients.Measured measured = clients.measure(Duration.ofSeconds(measureSeconds));
        pacer.stop();
        clients.settle();
        Histogram same = measured.firstNode();
        Histogram others = measured.otherNodes();
        return new LatencyPoint(layout, fanOut, rate, rate * fanOut, measured.messages() / measured.seconds(),
                NodeClients.millis(same, 50), NodeClients.millis(same, 99), NodeClients.millis(others, 50),
                NodeClients.millis(others, 99), measured.serverCpuPercent(), measured.errors(), measured.closes());
    }
}
