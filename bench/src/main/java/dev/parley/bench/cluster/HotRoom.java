package dev.parley.bench.cluster;

import dev.parley.bench.load.LoadConnection;
import dev.parley.bench.report.ClusterResults.HotRoomPoint;
import dev.parley.bench.scenario.DurableIngest;
import dev.parley.bench.scenario.Waits;
import dev.parley.bench.server.ServerProcess;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * C2: one hot room written from every node. Publishers on each node keep {@link DurableIngest#WINDOW} sends of
 * {@code general} in flight (a new one goes out as each ack comes back); PostgreSQL assigns every message its
 * seq, so all of them meet on the room's one row. Acked messages per second and the ack latency are measured.
 */
final class HotRoom {

    private HotRoom() {
    }

    static HotRoomPoint run(String layout, List<ServerProcess> nodes, int publishersPerNode, int warmupSeconds,
                            int measureSeconds) {
        int perNode = publishersPerNode * ClusterOptions.NODES / nodes.size();
        try (NodeClients clients = new NodeClients(nodes, perNode, "hot")) {
            boolean[] running = {true};
            List<LoadConnection> publishers = new ArrayList<>();
            for (int n = 0; n < nodes.size(); n++) {
                publishers.addAll(clients.on(n));
            }
            for (LoadConnection publisher : publishers) {
                publisher.onAck(p -> {
                    if (running[0]) {
                        DurableIngest.send(p, "general");
                    }
                });
                clients.client().loop().execute(() -> {
                    for (int k = 0; k < DurableIngest.WINDOW; k++) {
                        DurableIngest.send(publisher, "general");
                    }
                });
            }
            Waits.sleep(Duration.ofSeconds(warmupSeconds));
            NodeClients.Measured measured = clients.measure(Duration.ofSeconds(measureSeconds));
            Histogram ack = measured.acked();
            HotRoomPoint point = new HotRoomPoint(layout, publishers.size(), DurableIngest.WINDOW,
                    measured.acks() / measured.seconds(), NodeClients.millis(ack, 50), NodeClients.millis(ack, 99),
                    measured.serverCpuPercent(), measured.errors());
            clients.client().loop().submit(() -> running[0] = false).syncUninterruptibly();
            clients.settle();
            System.out.printf("  C2 %s %d publishers: %,.0f acked/s, ack p50 %.2f ms, p99 %.2f ms%n", layout,
                    point.publishers(), point.ackedPerSecond(), point.ackP50(), point.ackP99());
            return point;
        }
    }
}
