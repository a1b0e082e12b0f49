package dev.parley.bench.scenario;

import dev.parley.bench.load.LoadClient;
import dev.parley.bench.load.LoadConnection;
import dev.parley.bench.report.Results.IngestPoint;
import dev.parley.bench.server.ServerProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * S4: durable ingest. P publishers each keep {@link #WINDOW} sends open (a new one goes out as each ack
 * comes back) and the acks per second are counted; an ack means the message is stored. Two layouts per P:
 * many rooms, each publisher sending into a room of its own (fan-out does not dominate), and one hot room
 * all P publishers send into (so each message also goes to its P members, the sender included). A server
 * without rooms has every publisher in {@code general}, and the report says so.
 */
public final class DurableIngest {

    /** Sends in flight per publisher; below the contract's per-connection limit of 64. */
    public static final int WINDOW = 32;

    private DurableIngest() {
    }

    public static List<IngestPoint> run(ServerProcess server, List<Integer> publisherCounts, int warmupSeconds,
                                        int measureSeconds) {
        List<IngestPoint> points = new ArrayList<>();
        for (boolean hotRoom : new boolean[] {false, true}) {
            for (int count : publisherCounts) {
                points.add(step(server, count, hotRoom, warmupSeconds, measureSeconds));
            }
        }
        return points;
    }

    private static IngestPoint step(ServerProcess server, int count, boolean hotRoom, int warmupSeconds,
                                    int measureSeconds) {
        try (LoadClient client = new LoadClient(server.address(), "/ws")) {
            String prefix = (hotRoom ? "hot" : "pub") + count + "x";
            List<LoadConnection> publishers = Waits.await(client.open(count, i -> prefix + i, 64),
                    Duration.ofMinutes(1));
            List<String> rooms = hotRoom ? hotRoom(publishers, count) : ownRooms(publishers, count);
            boolean ownRooms = rooms != null;
            boolean[] running = {true};
            for (int i = 0; i < publishers.size(); i++) {
                String room = ownRooms ? rooms.get(i) : "general";
                LoadConnection publisher = publishers.get(i);
                publisher.onAck(p -> {
                    if (running[0]) {
                        send(p, room);
                    }
                });
                client.loop().execute(() -> {
                    for (int k = 0; k < WINDOW; k++) {
                        send(publisher, room);
                    }
                });
            }
            Waits.sleep(Duration.ofSeconds(warmupSeconds));
            Window window = Window.open(server, client.tally());
            Waits.sleep(Duration.ofSeconds(measureSeconds));
            Window.Closed closed = window.close();
            client.loop().submit(() -> running[0] = false).syncUninterruptibly();
            Waits.quiet(client.tally(), Duration.ofMillis(500), Duration.ofSeconds(30));
            Waits.closeAll(publishers);
            IngestPoint point = new IngestPoint(count, WINDOW, ownRooms, closed.acks() / closed.seconds(),
                    Window.Closed.millis(closed.ack(), 50), Window.Closed.millis(closed.ack(), 99),
                    closed.acks() == 0 ? 0 : closed.serverCpu().totalNanos() / 1e3 / closed.acks(), closed.errors(),
                    hotRoom && ownRooms);
            System.out.printf("  S4 %s %d publishers%s: %,.0f acked/s, ack p50 %.2f ms, p99 %.2f ms%n", server.name(),
                    count, !ownRooms ? " (shared room)" : hotRoom ? " (one hot room)" : "", point.ackedPerSecond(),
                    point.ackP50(), point.ackP99());
            return point;
        }
    }

    /** Sends into {@code room} a message whose text and id start with the send time. */
    public static void send(LoadConnection publisher, String room) {
        long now = System.nanoTime();
        publisher.send(Pacer.sendFrame(room, now, Long.toString(now)));
    }

    /** One new public room every publisher is in (as many times as publishers), or null when the server has no rooms. */
    private static List<String> hotRoom(List<LoadConnection> publishers, int count) {
        String room = "hot" + count + "t" + System.currentTimeMillis();
        boolean created = Waits.await(ManyRooms.setUp(room, publishers), Duration.ofMinutes(1)).isEmpty();
        return created ? Collections.nCopies(publishers.size(), room) : null;
    }

    /** One new room per publisher, or null when the server answers {@code create} with an error. */
    private static List<String> ownRooms(List<LoadConnection> publishers, int count) {
        List<String> rooms = new ArrayList<>();
        List<CompletableFuture<String>> replies = new ArrayList<>();
        for (int i = 0; i < publishers.size(); i++) {
            String room = "ingest" + count + "x" + i + "t" + System.currentTimeMillis();
            rooms.add(room);
            replies.add(publishers.get(i).request("{\"type\":\"create\",\"room\":\"" + room
                    + "\",\"visibility\":\"private\"}"));
        }
        boolean created = true;
        for (CompletableFuture<String> reply : replies) {
            created &= Waits.await(reply, Duration.ofSeconds(30)).equals("ack");
        }
        return created ? rooms : null;
    }
}
