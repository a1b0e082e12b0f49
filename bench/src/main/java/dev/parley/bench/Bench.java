package dev.parley.bench;

import dev.parley.bench.cluster.ClusterBench;
import dev.parley.bench.cluster.ClusterOptions;
import dev.parley.bench.report.ClusterReportWriter;
import dev.parley.bench.report.ClusterResults;
import dev.parley.bench.report.ReportWriter;
import dev.parley.bench.report.Results;
import dev.parley.bench.report.Results.Target;
import dev.parley.bench.scenario.DurableIngest;
import dev.parley.bench.scenario.Hold;
import dev.parley.bench.scenario.IdleConnections;
import dev.parley.bench.scenario.ManyRooms;
import dev.parley.bench.scenario.OneRoom;
import dev.parley.bench.server.Database;
import dev.parley.bench.server.EpollVariant;
import dev.parley.bench.server.LocalProcesses;
import dev.parley.bench.server.ParleyCommand;
import dev.parley.bench.server.ProcessStats;
import dev.parley.bench.server.ServerProcess;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;
import java.util.Map;

/**
 * Runs every scenario against the bare baseline and against Parley, one server at a time, each pinned to
 * its own CPU, and writes {@code results.json}, the charts and the measured section of the report.
 *
 * <pre>
 * java -jar bench/target/parley-bench.jar [--smoke] [--targets baseline,parley,parley-epoll,parley-x:other.jar]
 *      [--scenarios S1,S2,S3,S4] [--hold-seconds N]
 *      [--parley-jar target/parley-0.1.0-SNAPSHOT.jar] [--java-home DIR] [--out docs]
 *      [--server-jvm-flags "-Xms1g -Xmx1g ..."]
 * </pre>
 */
public final class Bench {

    private static final String CLUSTER_RESULTS = "benchmarks/cluster-results.json";

    private final BenchOptions options;
    private final Path logs;
    /** PostgreSQL schemas made so far, one per server started on it. */
    private int postgresSchemas;
    /** The servers' open-files limit, for the report; 0 until a server has started. */
    private long openFilesLimit;

    Bench(BenchOptions options) throws IOException {
        this.options = options;
        this.logs = Files.createTempDirectory("parley-bench");
    }

    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("report")) {
            rewriteReport(parse(args), Arrays.asList(args).contains("--cluster"));
            return;
        }
        if (Arrays.asList(args).contains("--cluster")) {
            new Bench(parse(args)).runCluster(Arrays.asList(args));
            return;
        }
        Results.Run run = new Bench(parse(args)).run();
        if (run.targets().values().stream().anyMatch(t -> t.oneRoom() == null)) {
            System.exit(1);
        }
    }

    /** Rewrites the report and charts from the last results (with {@code --cluster} the cluster part only). */
    private static void rewriteReport(BenchOptions options, boolean clusterOnly) throws IOException {
        Path results = options.out().resolve("benchmarks/results.json");
        if (!clusterOnly && Files.exists(results)) {
            Results.Run run = JsonMapper.builder().build().readValue(results.toFile(), Results.Run.class);
            new ReportWriter(run).write(options.out().resolve("benchmarks.md"));
        }
        Path cluster = options.out().resolve(CLUSTER_RESULTS);
        if (Files.exists(cluster)) {
            ClusterResults.Run run = JsonMapper.builder().build().readValue(cluster.toFile(), ClusterResults.Run.class);
            new ClusterReportWriter(run).write(options.out().resolve("benchmarks.md"));
        }
    }

    /**
     * The cluster scenarios ({@code --cluster [--scenarios C1,C2,C3,C4]}), on the PostgreSQL and Redis
     * {@code bench/run --cluster} started; they have their own results file and part of the report.
     */
    private void runCluster(List<String> args) throws IOException {
        List<String> scenarios = args.contains("--scenarios")
                ? Arrays.asList(value(args, "--scenarios", "").split(",")) : List.of("C1", "C2", "C3", "C4");
        ClusterOptions clusterOptions = ClusterOptions.of(options, logs, scenarios, Database.fromEnvironment(),
                requiredEnv("BENCH_REDIS_URL"), Path.of(requiredEnv("BENCH_REDIS_DIR")));
        System.out.println("Parley cluster benchmark; server logs in " + logs);
        ClusterResults.Run run = new ClusterBench(clusterOptions).run(environment(0));
        Files.createDirectories(options.out().resolve("benchmarks"));
        JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                .writeValue(options.out().resolve(CLUSTER_RESULTS).toFile(), run);
        new ClusterReportWriter(run).write(options.out().resolve("benchmarks.md"));
        System.out.println("Report: " + options.out().resolve("benchmarks.md"));
    }

    static BenchOptions parse(String[] args) {
        List<String> list = Arrays.asList(args);
        Path javaHome = Path.of(value(list, "--java-home", System.getProperty("java.home")));
        Path jar = Path.of(value(list, "--parley-jar", "target/parley-0.1.0-SNAPSHOT.jar"));
        Path out = Path.of(value(list, "--out", "docs"));
        BenchOptions options = list.contains("--smoke") ? BenchOptions.smoke(jar, javaHome, out)
                : BenchOptions.full(jar, javaHome, out);
        if (list.contains("--targets")) {
            options = options.withTargets(value(list, "--targets", ""));
        }
        if (list.contains("--scenarios") && !list.contains("--cluster")) {
            options = options.withScenarios(value(list, "--scenarios", ""));
        }
        if (list.contains("--hold-seconds")) {
            options = options.withHoldSeconds(Integer.parseInt(value(list, "--hold-seconds", "0")));
        }
        if (list.contains("--server-jvm-flags")) {
            options = options.withServerJvmFlags(List.of(value(list, "--server-jvm-flags", "").trim().split("\\s+")));
        }
        return options;
    }

    private static String value(List<String> args, String name, String fallback) {
        int at = args.indexOf(name);
        return at >= 0 && at + 1 < args.size() ? args.get(at + 1) : fallback;
    }

    private static String requiredEnv(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the cluster run needs " + name + " (bench/run --cluster sets it)");
        }
        return value;
    }

    /** Measures every target and writes the results, the report and the charts under {@code out}. */
    Results.Run run() throws IOException {
        System.out.println("Parley benchmark; server logs in " + logs);
        Map<String, Target> targets = new LinkedHashMap<>();
        for (String target : options.targets()) {
            Target measured = measure(target);
            targets.put(measured.name(), measured);
        }
        Results.Run run = new Results.Run(environment(openFilesLimit), targets);
        Files.createDirectories(options.out().resolve("benchmarks"));
        JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                .writeValue(options.out().resolve("benchmarks/results.json").toFile(), run);
        new ReportWriter(run).write(options.out().resolve("benchmarks.md"));
        System.out.println("Report: " + options.out().resolve("benchmarks.md"));
        return run;
    }

    /**
     * Measures one target, each scenario on a server of its own: what one scenario leaves behind (sockets
     * closing, garbage, a grown store, a stalled reader's backlog) must not weigh on the next one.
     */
    private Target measure(String target) throws IOException {
        String name = target.contains(":") ? target.substring(0, target.indexOf(':')) : target;
        System.out.println("== " + name);
        IdleConnections.Outcome idle = options.runs("S1")
                ? fresh(target, server -> IdleConnections.run(server, options.idleLevels()))
                : new IdleConnections.Outcome(List.of(), "not run");
        OneRoom.Outcome oneRoom = options.runs("S2")
                ? fresh(target, server -> OneRoom.run(server, options.roomSize(), options.oneRoomRates(),
                options.warmupSeconds(), options.measureSeconds()))
                : new OneRoom.Outcome(List.of(), null);
        ManyRooms.Outcome manyRooms = options.runs("S3")
                ? fresh(target, server -> ManyRooms.run(server, options.manyRoomClients(), options.manyRoomsSize(),
                options.manyRoomDeliveryRates(), options.warmupSeconds(), options.measureSeconds()))
                : new ManyRooms.Outcome(List.of(), "not run");
        List<Results.IngestPoint> ingest = options.runs("S4")
                ? fresh(target, server -> DurableIngest.run(server, options.publishers(), options.warmupSeconds(),
                options.measureSeconds()))
                : List.of();
        Results.HoldResult hold = name.equals("parley") && options.holdSeconds() > 0
                ? fresh(target, server -> Hold.run(server, options.holdConnections(), options.holdSeconds())) : null;
        return new Target(name, idle.points(), idle.note(), oneRoom.ramp(), oneRoom.stalled(),
                manyRooms.ramp(), manyRooms.unsupported(), ingest, hold);
    }

    /** Runs a scenario against a server started for it alone, and stops the server. */
    private <T> T fresh(String target, Function<ServerProcess, T> scenario) throws IOException {
        try (ServerProcess server = startWithRetry(target)) {
            openFilesLimit = server.openFilesLimit();
            System.out.println("  (" + server.name() + " pid " + server.pid() + ", port " + server.port() + ")");
            return scenario.apply(server);
        }
    }

    /** A free port is only free until someone takes it: a server that could not bind gets another. */
    private ServerProcess startWithRetry(String target) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return start(target);
            } catch (IllegalStateException e) {
                if (attempt == 3) {
                    throw e;
                }
                System.out.println("  " + target + " did not start (" + e.getMessage() + "); retrying");
            }
        }
    }

    /**
     * Starts a target: {@code baseline}, {@code parley}, {@code parley-epoll} (the same jar without the
     * io_uring transport), {@code parley-postgres} (the same jar on PostgreSQL) or {@code parley-<label>:<jar>}
     * for another build.
     */
    private ServerProcess start(String target) throws IOException {
        int port = LocalProcesses.freePort();
        String name = target.contains(":") ? target.substring(0, target.indexOf(':')) : target;
        Path jar = target.contains(":") ? Path.of(target.substring(target.indexOf(':') + 1)) : options.parleyJar();
        if (name.equals("parley-epoll") && !target.contains(":")) {
            jar = EpollVariant.of(options.parleyJar(), logs.resolve("parley-epoll.jar"));
        }
        List<String> main = new ArrayList<>();
        switch (name.startsWith("parley") ? "parley" : name) {
            case "baseline" -> main.addAll(List.of("-cp", LocalProcesses.ownClasspath(),
                    "dev.parley.bench.baseline.BaselineServer", Integer.toString(port)));
            case "parley" -> {
                main.addAll(ParleyCommand.of(jar, port, Files.createTempDirectory(logs, "parley-data")));
                if (name.contains("postgres")) {
                    main.addAll(ParleyCommand.postgresStore(Database.fromEnvironment(),
                            "bench_" + ++postgresSchemas + "_" + ProcessHandle.current().pid()));
                }
            }
            default -> throw new IllegalArgumentException("unknown target " + name + " (baseline, parley)");
        }
        return ServerProcess.start(name, options.javaHome(), options.serverCpus(), options.serverJvmFlags(), main,
                port, logs.resolve(name + ".log"));
    }

    private Results.Environment environment(long openFilesLimit) {
        String cpuModel = "unknown";
        int cores = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpuModel = line.substring(line.indexOf(':') + 1).trim();
                    cores++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String kernel = System.getProperty("os.name") + " " + System.getProperty("os.version");
        String netty = io.netty.util.Version.identify().getOrDefault("netty-common",
                io.netty.util.Version.identify().values().iterator().next()).artifactVersion();
        String pinning = options.serverCpus().isBlank() ? "none"
                : "servers on CPU " + options.serverCpus() + ", load generator on the others (taskset)";
        return new Results.Environment(LocalDate.now().toString(), cpuModel, cores, kernel,
                JavaVersion.describe(options.javaHome()), options.serverJvmFlags(),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"), netty,
                pinning, openFilesLimit == 0 ? ProcessStats.openFilesLimit(ProcessHandle.current().pid())
                : openFilesLimit, options.smoke());
    }
}
