package dev.parley.bench.scenario;

import dev.parley.bench.load.LoadClient;
import dev.parley.bench.load.LoadConnection;
import dev.parley.bench.report.Results.LoadPoint;
import dev.parley.bench.report.Results.StallResult;
import dev.parley.bench.server.ServerProcess;

import java.time.Duration;
import java.util.List;

/**
 * S2: one room ({@code general}) of N members, ten of whom publish, at a ramp of rates; every message
 * goes to all N. S5: the same room at one rate with one member that has stopped reading.
 */
public final class OneRoom {

    private static final int PUBLISHERS = 10;

    public record Outcome(List<LoadPoint> ramp, StallResult stalled) {
    }

    private OneRoom() {
    }

    public static Outcome run(ServerProcess server, int members, List<Integer> rates, int warmupSeconds,
                              int measureSeconds) {
        try (LoadClient client = new LoadClient(server.address(), "/ws")) {
            List<LoadConnection> connections = Waits.await(client.open(members, i -> "member" + i, 256),
                    Duration.ofMinutes(2));
            Waits.quiet(client.tally(), Duration.ofMillis(500), Duration.ofSeconds(60));
            List<LoadConnection> publishers = connections.subList(0, Math.min(PUBLISHERS, connections.size()));
            Ramp ramp = new Ramp(server, client, warmupSeconds, measureSeconds);
            List<LoadPoint> points = ramp.run(publishers, List.of("general"),
                    rates.stream().map(Integer::doubleValue).toList(), connections.size(), "S2");

            // S5 at the busiest rate that leaves the server headroom: at saturation every p99 grows anyway
            LoadPoint reference = points.stream().filter(p -> p.serverCpuPercent() <= 60)
                    .reduce((a, b) -> b).orElse(points.get(0));
            LoadConnection stalled = connections.get(connections.size() - 1);
            stalled.stall();
            LoadPoint others = ramp.step(publishers, List.of("general"), reference.offeredMessages(),
                    connections.size() - 1);
            int closeCode = stalled.closed().isDone() ? stalled.closed().join() : -1;
            System.out.printf("  S5 %s one member stalled at %,.0f deliveries/s: others' p99 %.2f ms (S2: %.2f ms)%n",
                    server.name(), others.offeredDeliveries(), others.p99(), reference.p99());
            Waits.closeAll(connections);
            return new Outcome(points, new StallResult(others, reference.p99(), closeCode));
        }
    }
}
