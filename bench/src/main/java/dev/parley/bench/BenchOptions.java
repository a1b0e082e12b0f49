package dev.parley.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one benchmark run does. {@link #full()} is the documented run; {@link #smoke()} scales every
 * scenario down to seconds for CI.
 *
 * @param parleyJar the Parley server jar
 * @param javaHome JDK that runs both servers
 * @param serverCpus CPUs the servers are pinned to ({@code taskset -c}); blank: not pinned
 * @param serverJvmFlags JVM flags of both servers, identical so the comparison is fair
 * @param out folder for the report ({@code benchmarks.md} is rewritten between its markers) and charts
 * @param targets servers to run: {@code baseline}, {@code parley}, {@code parley-epoll}, {@code parley-postgres}
 * @param idleLevels S1 connection counts
 * @param roomSize S2 and S5 members of the one room
 * @param oneRoomRates S2 ramp: messages per second into the room
 * @param manyRoomClients S3 clients
 * @param manyRoomsSize S3 members per room
 * @param manyRoomDeliveryRates S3 ramp: deliveries per second
 * @param publishers S4 concurrent publishers
 * @param warmupSeconds per ramp step, before measuring
 * @param measureSeconds per ramp step
 * @param holdConnections connections held by the hold run (Parley only)
 * @param holdSeconds how long they are held; 0 skips it
 * @param smoke whether this is the scaled-down smoke run
 * @param scenarios which of S1 to S4 run ({@code S2} includes S5)
 */
public record BenchOptions(
        Path parleyJar, Path javaHome, String serverCpus, List<String> serverJvmFlags, Path out,
        List<String> targets, List<Integer> idleLevels, int roomSize, List<Integer> oneRoomRates,
        int manyRoomClients, int manyRoomsSize, List<Integer> manyRoomDeliveryRates, List<Integer> publishers,
        int warmupSeconds, int measureSeconds, int holdConnections, int holdSeconds, boolean smoke,
        List<String> scenarios) {

    /** Parallel GC: the lowest CPU per delivery of Serial, Parallel and G1 on one core (docs/benchmarks.md). */
    /**
     * Both servers alike: the container image's collector and tenuring (a connection's state lives as long as the
     * connection, so it is promoted after one young collection rather than copied between survivor spaces up to
     * fifteen times; docs/benchmarks.md measured it).
     */
    static final List<String> DEFAULT_JVM_FLAGS = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-XX:+UseParallelGC",
            "-XX:MaxTenuringThreshold=1");

    static BenchOptions full(Path parleyJar, Path javaHome, Path out) {
        return new BenchOptions(parleyJar, javaHome, "0", jvmFlags(javaHome), out,
                List.of("baseline", "parley", "parley-epoll", "parley-postgres"),
                List.of(5_000, 10_000, 20_000, 50_000), 2_000, List.of(5, 10, 20, 40, 60, 80, 100),
                5_000, 10, List.of(5_000, 10_000, 20_000, 40_000), List.of(1, 8, 64),
                3, 8, 50_000, 0, false, List.of("S1", "S2", "S3", "S4"));
    }

    static BenchOptions smoke(Path parleyJar, Path javaHome, Path out) {
        return new BenchOptions(parleyJar, javaHome, "", jvmFlags(javaHome), out, List.of("baseline", "parley"),
                List.of(20), 20, List.of(20), 20, 5, List.of(200), List.of(1, 4),
                0, 1, 0, 0, true, List.of("S1", "S2", "S3", "S4"));
    }

    /** The flags both servers run with: a fixed, pre-touched heap, so RSS growth is off-heap growth. */
    static List<String> jvmFlags(Path javaHome) {
        List<String> flags = new ArrayList<>(DEFAULT_JVM_FLAGS);
        if (JavaVersion.of(javaHome) >= 24) {
            flags.add("-XX:+UseCompactObjectHeaders");
        }
        return flags;
    }

    BenchOptions withTargets(String csv) {
        return new BenchOptions(parleyJar, javaHome, serverCpus, serverJvmFlags, out, Arrays.asList(csv.split(",")),
                idleLevels, roomSize, oneRoomRates, manyRoomClients, manyRoomsSize, manyRoomDeliveryRates, publishers,
                warmupSeconds, measureSeconds, holdConnections, holdSeconds, smoke, scenarios);
    }

    /** Whether a scenario runs ({@code S2} also runs S5, which reuses its room). */
    boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }

    BenchOptions withScenarios(String csv) {
        return new BenchOptions(parleyJar, javaHome, serverCpus, serverJvmFlags, out, targets,
                idleLevels, roomSize, oneRoomRates, manyRoomClients, manyRoomsSize, manyRoomDeliveryRates, publishers,
                warmupSeconds, measureSeconds, holdConnections, holdSeconds, smoke, Arrays.asList(csv.split(",")));
    }

    BenchOptions withHoldSeconds(int seconds) {
        return new BenchOptions(parleyJar, javaHome, serverCpus, serverJvmFlags, out, targets,
                idleLevels, roomSize, oneRoomRates, manyRoomClients, manyRoomsSize, manyRoomDeliveryRates, publishers,
                warmupSeconds, measureSeconds, holdConnections, seconds, smoke, scenarios);
    }

    BenchOptions withServerJvmFlags(List<String> flags) {
        return new BenchOptions(parleyJar, javaHome, serverCpus, flags, out, targets,
                idleLevels, roomSize, oneRoomRates, manyRoomClients, manyRoomsSize, manyRoomDeliveryRates, publishers,
                warmupSeconds, measureSeconds, holdConnections, holdSeconds, smoke, scenarios);
    }
}
