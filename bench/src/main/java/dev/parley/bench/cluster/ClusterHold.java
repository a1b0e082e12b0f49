package dev.parley.bench.cluster;

import dev.parley.bench.load.LoadClient;
import dev.parley.bench.report.ClusterResults.HoldResult;
import dev.parley.bench.report.ClusterResults.NodeMemory;
import dev.parley.bench.scenario.Waits;
import dev.parley.bench.server.ProcessStats;
import dev.parley.bench.server.ServerProcess;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * C4: many idle connections held across the nodes for a long time, opened by as many generator processes as
 * their open-files limit needs ({@link HoldWorker}), with the memory per connection of every node (heap after
 * full collections plus resident-set growth, relative to the same node after a warm-up round) and a count of
 * everything that went wrong: failed handshakes, connections the servers closed, error frames.
 */
final class ClusterHold {

    /** File descriptors a JVM keeps for itself (jars, epoll, logs) beside its sockets. */
    private static final int DESCRIPTOR_RESERVE = 400;
    private static final int WARMUP_PER_NODE = 2_000;
    private static final Duration STATUS_EVERY = Duration.ofSeconds(30);

    private ClusterHold() {
    }

    static HoldResult run(ClusterStack stack, int requested, int seconds, Path javaHome, Path logs) {
        List<ServerProcess> nodes = stack.nodes();
        long ownLimit = ProcessStats.openFilesLimit(ProcessHandle.current().pid());
        long nodeLimit = nodes.stream().mapToLong(ServerProcess::openFilesLimit).min().orElseThrow();
        int perProcess = (int) (ownLimit - DESCRIPTOR_RESERVE);
        int workers = (requested + perProcess - 1) / perProcess;
        String note = requested / nodes.size() > nodeLimit - DESCRIPTOR_RESERVE
                ? String.format("each node's open-files limit (%,d) is below its share; ", nodeLimit) : "";
        warmUp(stack);
        List<Long> baseHeap = nodes.stream().map(ServerProcess::heapUsedAfterGc).toList();
        List<Long> baseRss = nodes.stream().map(ServerProcess::rss).toList();

        List<WorkerProcess> started = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                int share = requested / workers + (w < requested % workers ? 1 : 0);
                started.add(WorkerProcess.start(javaHome, "w" + w, share, stack.addresses(),
                        logs.resolve("hold-worker" + w + ".log")));
            }
            int[] perNode = new int[nodes.size()];
            long failures = 0;
            StringBuilder firstFailure = new StringBuilder();
            for (WorkerProcess worker : started) {
                String[] open = worker.await("OPEN", Duration.ofMinutes(15)).split(" ", nodes.size() + 3);
                for (int n = 0; n < nodes.size(); n++) {
                    perNode[n] += Integer.parseInt(open[1 + n]);
                }
                failures += Long.parseLong(open[1 + nodes.size()]);
                if (open.length > nodes.size() + 2 && firstFailure.isEmpty()) {
                    firstFailure.append("the first failure: ").append(open[nodes.size() + 2]);
                }
            }
            int held = Arrays.stream(perNode).sum();
            System.out.printf("  C4 %,d connections open from %d processes (%s per node), %d failed%n", held,
                    workers, Arrays.toString(perNode), failures);
            List<Long> heapAtStart = nodes.stream().map(ServerProcess::heapUsedAfterGc).toList();
            List<Long> rssAtStart = nodes.stream().map(ServerProcess::rss).toList();

            long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            long[] status;
            while (true) {
                status = status(started);
                System.out.printf("  C4 hold: %,d open, %d closed by the servers, %d error frames%n", status[0],
                        status[1], status[2]);
                long left = deadline - System.nanoTime();
                if (left <= 0 || !nodes.stream().allMatch(ServerProcess::isAlive)) {
                    break;
                }
                Waits.sleep(Duration.ofNanos(Math.min(left, STATUS_EVERY.toNanos())));
            }
            List<NodeMemory> memory = new ArrayList<>();
            for (int n = 0; n < nodes.size(); n++) {
                long heap = heapAtStart.get(n) - baseHeap.get(n);
                long offHeap = rssAtStart.get(n) - baseRss.get(n);
                memory.add(new NodeMemory(nodes.get(n).name(), perNode[n], (double) heap / perNode[n],
                        (double) offHeap / perNode[n], rssAtStart.get(n), nodes.get(n).rss()));
                System.out.printf("  C4 %s: %,d connections, %.1f KB heap + %.1f KB off-heap per connection%n",
                        nodes.get(n).name(), perNode[n], heap / 1024.0 / perNode[n], offHeap / 1024.0 / perNode[n]);
            }
            return new HoldResult(requested, held, seconds, workers, failures, status[1], status[2], memory,
                    (note + firstFailure).trim());
        } finally {
            started.forEach(WorkerProcess::close);
        }
    }

    /** What a node allocates once rather than per connection is then in the reference measured against. */
    private static void warmUp(ClusterStack stack) {
        try (LoadClient client = new LoadClient(stack.addresses().get(0), "/ws")) {
            for (InetSocketAddress node : stack.addresses()) {
                Waits.closeAll(Waits.await(client.open(WARMUP_PER_NODE, i -> "warm" + node.getPort() + "x" + i, 128,
                        node, client.tally()), Duration.ofMinutes(2)));
            }
            Waits.quiet(client.tally(), Duration.ofMillis(500), Duration.ofSeconds(30));
        }
    }

    /** Open connections, closes by the servers and error frames, summed over the workers. */
    private static long[] status(List<WorkerProcess> workers) {
        long[] sum = new long[3];
        for (WorkerProcess worker : workers) {
            worker.tell("status");
            String[] hold = worker.await("HOLD", Duration.ofMinutes(2)).split(" ");
            for (int i = 0; i < 3; i++) {
                sum[i] += Long.parseLong(hold[1 + i]);
            }
        }
        return sum;
    }
}
