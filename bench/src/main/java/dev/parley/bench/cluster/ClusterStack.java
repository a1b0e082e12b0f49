package dev.parley.bench.cluster;

import dev.parley.bench.server.LocalProcesses;
import dev.parley.bench.server.ParleyCommand;
import dev.parley.bench.server.ServerProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.parley.bench.scenario.Waits;

/**
 * Parley nodes on the PostgreSQL and Redis that {@code bench/run} started ({@code BENCH_POSTGRES_URL},
 * {@code BENCH_REDIS_URL}): a new schema and a new Redis namespace per stack, so that no stack sees another's
 * data. With one node and {@code cluster} false it is the single node on PostgreSQL the cluster is compared with.
 */
final class ClusterStack implements AutoCloseable {

    /** Found from the project's root (where bench/run runs) or from bench/ (where its tests run). */
    private static final Path REDIS_SCRIPT = Files.exists(Path.of("deploy/local/redis.sh"))
            ? Path.of("deploy/local/redis.sh") : Path.of("../deploy/local/redis.sh");

    private static int stacks;

    private final List<ServerProcess> nodes = new ArrayList<>();
    private final ClusterOptions options;

    private ClusterStack(ClusterOptions options) {
        this.options = options;
    }

    /** Starts {@code count} nodes one after the other (the first one makes the schema). */
    static ClusterStack start(ClusterOptions options, int count, boolean cluster) throws IOException {
        ClusterStack stack = new ClusterStack(options);
        String label = (cluster ? "cluster" : "single") + ++stacks + "_" + ProcessHandle.current().pid();
        try {
            for (int n = 1; n <= count; n++) {
                int port = LocalProcesses.freePort();
                List<String> args = new ArrayList<>(ParleyCommand.of(options.parleyJar(), port,
                        Files.createTempDirectory(options.logs(), "data")));
                args.addAll(ParleyCommand.postgresStore(options.database(), "bench_" + label));
                if (cluster) {
                    args.addAll(List.of("--parley.cluster.enabled=true", "--spring.data.redis.url=" + options.redisUrl(),
                            "--parley.cluster.namespace=" + label, "--parley.cluster.node-id=node" + n));
                }
                String name = cluster ? "node" + n : "single";
                stack.nodes.add(ServerProcess.start(name, options.javaHome(), options.serverCpus(),
                        options.serverJvmFlags(), args, port, options.logs().resolve(label + "-" + name + ".log")));
                System.out.println("  (" + name + " pid " + stack.nodes.get(n - 1).pid() + ", port " + port + ")");
            }
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    List<ServerProcess> nodes() {
        return nodes;
    }

    List<InetSocketAddress> addresses() {
        return nodes.stream().map(ServerProcess::address).toList();
    }

    /** Stops Redis, waits {@code down}, and starts it again empty on the same port, as a Redis restart does. */
    void restartRedis(Duration down) {
        Path dir = options.redisDir();
        String port = Integer.toString(URI.create(options.redisUrl()).getPort());
        script("stop", dir.toString());
        Waits.sleep(down);
        script("start", dir.toString(), port);
    }

    private void script(String... args) {
        List<String> command = new ArrayList<>();
        if (!options.serverCpus().isBlank()) {
            command.addAll(List.of("taskset", "-c", options.serverCpus()));
        }
        command.add(REDIS_SCRIPT.toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        nodes.forEach(ServerProcess::close);
    }
}
