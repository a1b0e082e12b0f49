package dev.parley.bench;

import dev.parley.bench.cluster.ClusterBench;
import dev.parley.bench.cluster.ClusterOptions;
import dev.parley.bench.report.ClusterReportWriter;
import dev.parley.bench.report.ClusterResults;
import dev.parley.bench.report.Results;
import dev.parley.bench.server.Database;
import dev.parley.bench.server.LocalProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A scaled-down cluster run, end to end: three nodes on a throw-away PostgreSQL and Redis from Debian's packages
 * (started with {@code deploy/local}'s scripts, as {@code bench/run --cluster} does). No figure is judged; the
 * counts the contract promises are: the fault run loses and duplicates nothing, and the hold keeps every connection.
 * Skipped where PostgreSQL or Redis is not installed, unless {@code PARLEY_STACK_TESTS=required} (CI sets it).
 */
class ClusterBenchSmokeTests {

    @Test
    void clusterSmokeRunMeasuresEveryScenarioAndLosesNothing(@TempDir Path out) throws Exception {
        boolean installed = Files.isExecutable(Path.of("/usr/bin/redis-server"))
                && Files.isDirectory(Path.of("/usr/lib/postgresql"));
        assumeTrue(installed || "required".equals(System.getenv("PARLEY_STACK_TESTS")),
                "PostgreSQL and Redis are not installed");
        Path parleyJar = Path.of(System.getProperty("parley.jar", "../target/parley-0.1.0-SNAPSHOT.jar"));
        assertThat(parleyJar).as("the Parley jar; build the server first (./mvnw package)").isRegularFile();
        Path postgres = Files.createTempDirectory(Path.of("/tmp"), "bench-smoke-pg");
        Path redis = Files.createTempDirectory(Path.of("/tmp"), "bench-smoke-redis");
        int postgresPort = LocalProcesses.freePort();
        int redisPort = LocalProcesses.freePort();
        List<List<String>> stops = new ArrayList<>();
        try {
            script("postgres.sh", "start", postgres.toString(), Integer.toString(postgresPort));
            stops.add(List.of("postgres.sh", "stop", postgres.toString()));
            script("redis.sh", "start", redis.toString(), Integer.toString(redisPort));
            stops.add(List.of("redis.sh", "stop", redis.toString()));

            BenchOptions smoke = BenchOptions.smoke(parleyJar, Path.of(System.getProperty("java.home")), out);
            ClusterOptions options = ClusterOptions.of(smoke, Files.createTempDirectory(out, "logs"),
                    List.of("C1", "C2", "C3", "C4"),
                    new Database("jdbc:postgresql://127.0.0.1:" + postgresPort + "/parley", "parley", ""),
                    "redis://127.0.0.1:" + redisPort, redis);
            ClusterResults.Run run = new ClusterBench(options).run(new Results.Environment("today", "cpu", 2, "linux",
                    "java", List.of(), "java", "netty", "none", 0, true));
            new ClusterReportWriter(run).write(out.resolve("benchmarks.md"));

            assertThat(run.latency()).extracting(ClusterResults.LatencyPoint::layout).contains("single node", "3 nodes");
            assertThat(run.latency()).allSatisfy(point -> assertThat(point.delivered()).isPositive());
            assertThat(run.hotRoom()).hasSize(2).allSatisfy(point -> assertThat(point.ackedPerSecond()).isPositive());
            assertThat(run.fault().acked()).isPositive();
            assertThat(run.fault().lost()).isZero();
            assertThat(run.fault().duplicated()).isZero();
            assertThat(run.fault().outOfOrder()).isZero();
            assertThat(run.fault().events()).allSatisfy(event -> assertThat(event.secondsUntilWhole()).isNotNegative());
            assertThat(run.hold().held()).isEqualTo(run.hold().requested());
            assertThat(run.hold().failures() + run.hold().closes()).isZero();
            assertThat(Files.readString(out.resolve("benchmarks.md"))).contains("C1", "C2", "C3", "C4");
            assertThat(out.resolve("benchmarks/c1-latency.png")).isRegularFile();
        } finally {
            for (int i = stops.size() - 1; i >= 0; i--) {
                List<String> stop = stops.get(i);
                script(stop.get(0), stop.subList(1, stop.size()).toArray(String[]::new));
            }
        }
    }

    private static void script(String name, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("../deploy/local/" + name));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
    }
}
