package dev.parley.bench.scenario;

import dev.parley.bench.load.LoadClient;
import dev.parley.bench.load.LoadConnection;
import dev.parley.bench.report.Results.LoadPoint;
import dev.parley.bench.server.ServerProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * S3: many small rooms. Clients are grouped into rooms of {@code size}: the first creates the room, the
 * others join it one by one; then one publisher per room sends, and a ramp of total deliveries per
 * second is offered. A server without rooms (a {@code create} answered with an error) is reported as such.
 */
public final class ManyRooms {

    public record Outcome(List<LoadPoint> ramp, String unsupported) {
    }

    private ManyRooms() {
    }

    public static Outcome run(ServerProcess server, int clients, int size, List<Integer> deliveryRates,
                              int warmupSeconds, int measureSeconds) {
        try (LoadClient client = new LoadClient(server.address(), "/ws")) {
            List<LoadConnection> connections = Waits.await(client.open(clients, i -> "user" + i, 256),
                    Duration.ofMinutes(3));
            Waits.quiet(client.tally(), Duration.ofMillis(500), Duration.ofSeconds(60));
            int roomCount = connections.size() / size;
            List<String> rooms = new ArrayList<>();
            List<LoadConnection> publishers = new ArrayList<>();
            List<CompletableFuture<String>> setups = new ArrayList<>();
            for (int r = 0; r < roomCount; r++) {
                String room = "room" + r;
                rooms.add(room);
                List<LoadConnection> members = connections.subList(r * size, (r + 1) * size);
                publishers.add(members.get(0));
                setups.add(setUp(room, members));
            }
            for (CompletableFuture<String> setup : setups) {
                String outcome = Waits.await(setup, Duration.ofMinutes(2));
                if (!outcome.isEmpty()) {
                    Waits.closeAll(connections);
                    return new Outcome(List.of(), outcome);
                }
            }
            Waits.quiet(client.tally(), Duration.ofMillis(500), Duration.ofSeconds(60));
            List<LoadPoint> points = new Ramp(server, client, warmupSeconds, measureSeconds).run(publishers, rooms,
                    deliveryRates.stream().map(rate -> rate / (double) size).toList(), size, "S3");
            Waits.closeAll(connections);
            return new Outcome(points, null);
        }
    }

    /** Creates the room with its first member and joins the others in turn; completes with "" or a failure. */
    static CompletableFuture<String> setUp(String room, List<LoadConnection> members) {
        CompletableFuture<String> chain = members.get(0)
                .request("{\"type\":\"create\",\"room\":\"" + room + "\",\"visibility\":\"public\"}")
                .thenApply(reply -> reply.equals("ack") ? "" : "create answered " + reply);
        for (LoadConnection member : members.subList(1, members.size())) {
            chain = chain.thenCompose(failure -> failure.isEmpty()
                    ? member.request("{\"type\":\"join\",\"room\":\"" + room + "\"}")
                    .thenApply(reply -> reply.equals("joined") ? "" : "join answered " + reply)
                    : CompletableFuture.completedFuture(failure));
        }
        return chain;
    }
}
