package dev.parley.bench.scenario;

import dev.parley.bench.load.LoadClient;
import dev.parley.bench.load.LoadConnection;
import dev.parley.bench.report.Results.HoldResult;
import dev.parley.bench.server.ProcessStats;
import dev.parley.bench.server.ServerProcess;

import java.time.Duration;
import java.util.List;

/**
 * Holds many idle connections open for a long time (server pings answered by the generator) and counts
 * anything that goes wrong: failed handshakes, connections closed by the server, error frames.
 */
public final class Hold {

    private static final int DESCRIPTOR_RESERVE = 400;

    private Hold() {
    }

    public static HoldResult run(ServerProcess server, int requested, int seconds) {
        long limit = Math.min(server.openFilesLimit(), ProcessStats.openFilesLimit(ProcessHandle.current().pid()));
        int target = (int) Math.min(requested, limit - DESCRIPTOR_RESERVE);
        String note = target < requested
                ? String.format("held %,d instead of %,d: the open-files limit here is %,d", target, requested, limit)
                : "";
        try (LoadClient client = new LoadClient(server.address(), "/ws")) {
            List<LoadConnection> open = Waits.await(client.open(target, i -> "hold" + i, 256), Duration.ofMinutes(5));
            Waits.quiet(client.tally(), Duration.ofSeconds(1), Duration.ofSeconds(60));
            long closesBefore = client.tally().closes.sum();
            long errorsBefore = client.tally().errors();
            long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            while (System.nanoTime() < deadline && server.isAlive()) {
                Waits.sleep(Duration.ofSeconds(Math.min(10, Math.max(1, seconds))));
                System.out.printf("  hold %s: %,d open, %d closed%n", server.name(), open.size(),
                        client.tally().closes.sum() - closesBefore);
            }
            long rss = server.rss();
            String failure = client.tally().connectFailures.sum() == 0 ? ""
                    : "; the first failure: " + client.tally().firstFailure();
            HoldResult result = new HoldResult(requested, open.size(), seconds, client.tally().connectFailures.sum(),
                    client.tally().closes.sum() - closesBefore, client.tally().errors() - errorsBefore, rss,
                    note + failure);
            Waits.closeAll(open);
            return result;
        }
    }
}
