package dev.parley.bench.cluster;

import dev.parley.bench.BenchOptions;
import dev.parley.bench.server.Database;

import java.nio.file.Path;
import java.util.List;

/**
 * What one cluster run does. The full run is the documented one; the smoke run scales every scenario down to
 * seconds, to see that everything works.
 *
 * @param members C1 members of the room, spread evenly over the nodes
 * @param rates C1 ramp: messages per second into the room
 * @param hotPublishersPerNode C2 publishers per node (the single node gets as many as all nodes together)
 * @param faultClientsPerNode C3 registered users per node reading {@code general}
 * @param faultPublishersPerNode C3 of those, how many write
 * @param faultRate C3 messages per second of each writer
 * @param faultPhaseSeconds C3 load before the first fault, between the faults and after the last
 * @param holdConnections C4 connections held across the nodes
 * @param holdSeconds C4 how long they are held
 * @param scenarios which of C1 to C4 run
 * @param database the PostgreSQL every stack makes its own schema in
 * @param redisUrl the Redis every stack has its own namespace in
 * @param redisDir the folder of that Redis, which C3 restarts with {@code deploy/local/redis.sh}
 */
public record ClusterOptions(Path parleyJar, Path javaHome, String serverCpus, List<String> serverJvmFlags,
                             Path logs, int members, List<Integer> rates, int hotPublishersPerNode,
                             int faultClientsPerNode, int faultPublishersPerNode, double faultRate,
                             int faultPhaseSeconds, int holdConnections, int holdSeconds, int warmupSeconds,
                             int measureSeconds, List<String> scenarios, Database database, String redisUrl,
                             Path redisDir) {

    static final int NODES = 3;

    /** The run {@code bench/run --cluster} does; {@code --hold-seconds} shortens the ten-minute hold. */
    public static ClusterOptions of(BenchOptions bench, Path logs, List<String> scenarios, Database database,
                                    String redisUrl, Path redisDir) {
        if (bench.smoke()) {
            return new ClusterOptions(bench.parleyJar(), bench.javaHome(), bench.serverCpus(), bench.serverJvmFlags(),
                    logs, 30, List.of(20), 2, 3, 1, 5, 3, 300, Math.max(bench.holdSeconds(), 3), 1, 2, scenarios, database, redisUrl, redisDir);
        }
        return new ClusterOptions(bench.parleyJar(), bench.javaHome(), bench.serverCpus(), bench.serverJvmFlags(), logs,
                600, List.of(10, 20, 50, 100, 200, 400), 8, 30, 2, 10, 15, 50_000,
                bench.holdSeconds() > 0 ? bench.holdSeconds() : 600, 3, 8, scenarios, database, redisUrl, redisDir);
    }

    boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }
}
