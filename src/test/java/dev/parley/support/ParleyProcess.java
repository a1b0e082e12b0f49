package dev.parley.support;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real server in its own JVM, for what one JVM cannot show: a {@code kill -9}.
 * Started from the test classpath; ready when it logs its {@code Parley started} line.
 */
public final class ParleyProcess implements AutoCloseable {
    private static final Pattern STARTED = Pattern.compile("Parley started: http=(\\d+) tcp=(\\d+|off)");

    private final Process process;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private volatile int tcpPort;
    private final List<String> output = new ArrayList<>();

    private ParleyProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readOutput, "parley-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    public static ParleyProcess start(Path dataDir, String... extraArgs) throws Exception {
        return start(dataDir, 0, extraArgs);
    }

    /** On a given HTTP port (0: any free one), as a restart on the same address needs. */
    public static ParleyProcess start(Path dataDir, int httpPort, String... extraArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "dev.parley.ParleyApplication",
                "--server.port=" + httpPort, "--parley.tcp.port=0", "--parley.data-dir=" + dataDir));
        command.addAll(List.of(extraArgs));
        ParleyProcess server = new ParleyProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
        try {
            server.port.get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            server.kill();
            throw new AssertionError("server did not start; output:\n" + String.join("\n", server.output()), e);
        }
        return server;
    }

    /** The console gateway's port, from the startup line; -1 when it is off. */
    public int tcpPort() {
        port.join();
        return tcpPort;
    }

    public int port() {
        return port.join();
    }

    /** SIGTERM, as an orchestrator stops a container: the graceful shutdown runs. Does not wait. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to exit; returns its exit code. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("server did not exit within 60 s; output:\n" + String.join("\n", output()));
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public synchronized List<String> output() {
        return List.copyOf(output);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (this) {
                    output.add(line);
                }
                Matcher started = STARTED.matcher(line);
                if (started.find()) {
                    tcpPort = started.group(2).equals("off") ? -1 : Integer.parseInt(started.group(2));
                    port.complete(Integer.parseInt(started.group(1)));
                }
            }
        } catch (Exception e) {
            port.completeExceptionally(e);
        }
        port.completeExceptionally(new IllegalStateException("server exited"));
    }
}
