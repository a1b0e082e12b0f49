package dev.parley.bench.cluster;

import dev.parley.bench.server.LocalProcesses;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** A {@link HoldWorker} child process, spoken to in lines, each answer awaited with a bound. */
final class WorkerProcess implements AutoCloseable {

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private WorkerProcess(Process process) {
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the worker is gone; a caller waiting for a line times out and says so
            }
        }, "worker-output");
        reader.setDaemon(true);
        reader.start();
    }

    static WorkerProcess start(Path javaHome, String prefix, int count, List<InetSocketAddress> nodes, Path log) {
        String addresses = nodes.stream().map(a -> a.getHostString() + ":" + a.getPort())
                .collect(Collectors.joining(","));
        try {
            return new WorkerProcess(new ProcessBuilder(javaHome.resolve("bin/java").toString(), "-Xmx2g",
                    "-cp", LocalProcesses.ownClasspath(), HoldWorker.class.getName(), prefix,
                    Integer.toString(count), addresses)
                    .redirectError(log.toFile()).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next line the worker prints that starts with {@code prefix}, waiting at most {@code timeout}. */
    String await(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IllegalStateException("no " + prefix + " from the worker in " + timeout
                            + (process.isAlive() ? "" : "; it exited with " + process.exitValue()));
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void tell(String command) {
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                tell("close");
            }
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException | UncheckedIOException e) {
            process.destroyForcibly();
        }
    }
}
