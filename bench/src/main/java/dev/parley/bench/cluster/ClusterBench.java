package dev.parley.bench.cluster;

import dev.parley.bench.report.ClusterResults;
import dev.parley.bench.report.ClusterResults.FaultResult;
import dev.parley.bench.report.ClusterResults.HoldResult;
import dev.parley.bench.report.ClusterResults.HotRoomPoint;
import dev.parley.bench.report.ClusterResults.LatencyPoint;
import dev.parley.bench.report.Results;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the cluster scenarios: C1 and C2 on one node on PostgreSQL and then on three cluster nodes, each on a
 * stack of its own, then C3 and C4 on fresh three-node stacks, so that no scenario weighs on the next.
 */
public final class ClusterBench {

    private final ClusterOptions options;

    public ClusterBench(ClusterOptions options) {
        this.options = options;
    }

    public ClusterResults.Run run(Results.Environment environment) throws IOException {
        List<LatencyPoint> latency = new ArrayList<>();
        List<HotRoomPoint> hotRoom = new ArrayList<>();
        if (options.runs("C1") || options.runs("C2")) {
            for (int nodes : new int[] {1, ClusterOptions.NODES}) {
                String layout = nodes == 1 ? "single node" : nodes + " nodes";
                System.out.println("== " + layout);
                try (ClusterStack stack = ClusterStack.start(options, nodes, nodes > 1)) {
                    if (options.runs("C1")) {
                        latency.addAll(CrossNodeLatency.run(layout, stack.nodes(), options.members(), options.rates(),
                                options.warmupSeconds(), options.measureSeconds()));
                    }
                    if (options.runs("C2")) {
                        hotRoom.add(HotRoom.run(layout, stack.nodes(), options.hotPublishersPerNode(),
                                options.warmupSeconds(), options.measureSeconds()));
                    }
                }
            }
        }
        FaultResult fault = null;
        if (options.runs("C3")) {
            System.out.println("== faults under load");
            try (ClusterStack stack = ClusterStack.start(options, ClusterOptions.NODES, true)) {
                fault = FaultRun.run(stack, options.faultClientsPerNode(), options.faultPublishersPerNode(),
                        options.faultRate(), Duration.ofSeconds(options.faultPhaseSeconds()));
            }
        }
        HoldResult hold = null;
        if (options.runs("C4")) {
            System.out.println("== hold");
            try (ClusterStack stack = ClusterStack.start(options, ClusterOptions.NODES, true)) {
                hold = ClusterHold.run(stack, options.holdConnections(), options.holdSeconds(), options.javaHome(),
                        options.logs());
            }
        }
        return new ClusterResults.Run(environment, ClusterOptions.NODES, latency, hotRoom, fault, hold);
    }
}
