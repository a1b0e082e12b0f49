package dev.parley.bench.scenario;

import dev.parley.bench.load.LoadClient;
import dev.parley.bench.load.LoadConnection;
import dev.parley.bench.report.Results.MemoryPoint;
import dev.parley.bench.server.ProcessStats;
import dev.parley.bench.server.ServerProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * S1: memory per idle connection. Heap after forced full collections plus growth of the resident set
 * (both servers run with a fixed, pre-touched heap, so RSS grows only off-heap), relative to the same
 * server after a warm-up round of as many connections as the first level has come and gone.
 */
public final class IdleConnections {

    /** File descriptors a JVM keeps for itself (jars, epoll, logs) beside its sockets. */
    private static final int DESCRIPTOR_RESERVE = 400;

    public record Outcome(List<MemoryPoint> points, String note) {
    }

    private IdleConnections() {
    }

    public static Outcome run(ServerProcess server, List<Integer> levels) {
        long ownLimit = ProcessStats.openFilesLimit(ProcessHandle.current().pid());
        long limit = Math.min(server.openFilesLimit(), ownLimit);
        int cap = (int) Math.max(0, limit - DESCRIPTOR_RESERVE);
        List<MemoryPoint> points = new ArrayList<>();
        StringBuilder note = new StringBuilder();
        try (LoadClient client = new LoadClient(server.address(), "/ws")) {
            // as many as the first level: what a server allocates once, not per connection (the JIT's code
            // and compiler memory, the allocator's pools), is then in the reference it is measured against.
            // After a warm-up of 1,000, native memory tracking put the growth over the next 10,000 connections
            // at 26 MB, 20 of it compiler arenas and 5 code; after a round of 10,000 had come and gone, the
            // next 10,000 grew the resident set by 4 MB
            int warmup = levels.get(0);
            Waits.closeAll(Waits.await(client.open(warmup, i -> "warm" + i, 256), Duration.ofMinutes(2)));
            Waits.quiet(client.tally(), Duration.ofMillis(500), Duration.ofSeconds(30));
            long baseHeap = server.heapUsedAfterGc();
            long baseRss = server.rss();
            List<LoadConnection> open = new ArrayList<>();
            for (int level : levels) {
                int target = Math.min(level, cap);
                if (target <= open.size()) {
                    note.append(String.format("%,d connections not measured: the open-files limit here is %,d. ",
                            level, limit));
                    continue;
                }
                if (target < level) {
                    note.append(String.format("%,d connections measured as %,d: the open-files limit here is %,d. ",
                            level, target, limit));
                }
                int from = open.size();
                open.addAll(Waits.await(client.open(target - from, i -> "idle" + (from + i), 256),
                        Duration.ofMinutes(5)));
                Waits.quiet(client.tally(), Duration.ofSeconds(1), Duration.ofSeconds(60));
                long heap = server.heapUsedAfterGc();
                long rss = server.rss();
                int n = open.size();
                points.add(new MemoryPoint(n, (int) client.tally().connectFailures.sum(), heap - baseHeap,
                        rss - baseRss, (double) (heap - baseHeap) / n, (double) (rss - baseRss) / n));
                System.out.printf("  S1 %s %,d idle: %.1f KB heap + %.1f KB off-heap per connection%n", server.name(),
                        n, (heap - baseHeap) / 1024.0 / n, (rss - baseRss) / 1024.0 / n);
            }
            Waits.closeAll(open);
            if (client.tally().connectFailures.sum() > 0) {
                note.append(String.format("%,d connections failed; the first: %s.",
                        client.tally().connectFailures.sum(), client.tally().firstFailure()));
            }
        }
        return new Outcome(points, note.toString().trim());
    }
}
