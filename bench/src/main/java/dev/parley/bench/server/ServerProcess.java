package dev.parley.bench.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test in its own JVM, pinned to its own CPU, with its CPU time, memory and heap read
 * from outside ({@code /proc} and {@code jcmd}) so that measuring never runs code inside it.
 */
public final class ServerProcess implements AutoCloseable {

    /** The last line of a class histogram: {@code Total <instances> <bytes>}. */
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    private final String name;
    private final Process process;
    private final Path javaHome;
    private final int port;
    private final Path log;

    private ServerProcess(String name, Process process, Path javaHome, int port, Path log) {
        this.name = name;
        this.process = process;
        this.javaHome = javaHome;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts {@code java <jvmFlags> <mainArgs>} from {@code javaHome}, pinned with {@code taskset} to
     * {@code cpus} when given, and waits until it accepts TCP connections on {@code port}.
     */
    public static ServerProcess start(String name, Path javaHome, String cpus, List<String> jvmFlags,
                                      List<String> mainArgs, int port, Path log) {
        List<String> command = new ArrayList<>();
        if (cpus != null && !cpus.isBlank()) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.add(javaHome.resolve("bin/java").toString());
        command.addAll(jvmFlags);
        command.addAll(mainArgs);
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            ServerProcess server = new ServerProcess(name, process, javaHome, port, log);
            server.awaitPort(Duration.ofSeconds(90));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private void awaitPort(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                pause(100);
            }
        }
        close();
        throw new IllegalStateException(name + " did not open port " + port + " in " + timeout + "; see " + log);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public ProcessStats.Cpu cpu() {
        return ProcessStats.cpu(pid());
    }

    public long rss() {
        return ProcessStats.rss(pid());
    }

    public long openFilesLimit() {
        return ProcessStats.openFilesLimit(pid());
    }

    /** A full collection now, from outside: what was set up so far is then old, as on a server that has run a while. */
    public void collectGarbage() {
        jcmd("GC.run");
    }

    /**
     * Bytes of live objects on the heap: the total of a class histogram, which first runs a full collection.
     * Unlike the heap summary this reads the same under every collector.
     */
    public long heapUsedAfterGc() {
        jcmd("GC.run");
        Matcher total = HISTOGRAM_TOTAL.matcher(jcmd("GC.class_histogram"));
        if (!total.find()) {
            throw new IllegalStateException("cannot read the heap of " + name);
        }
        return Long.parseLong(total.group(1));
    }

    private String jcmd(String command) {
        try {
            // output to a file, so that a jcmd that hangs is still bounded by the timeout below
            Path output = Files.createTempFile("jcmd", ".txt");
            try {
                Process jcmd = new ProcessBuilder(javaHome.resolve("bin/jcmd").toString(), Long.toString(pid()), command)
                        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
                if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
                    jcmd.destroyForcibly();
                    throw new IllegalStateException("jcmd " + command + " did not finish in 60 s");
                }
                String out = Files.readString(output, StandardCharsets.UTF_8);
                if (jcmd.exitValue() != 0) {
                    throw new IllegalStateException("jcmd " + command + " failed: " + out);
                }
                return out;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills the server with SIGKILL, as a machine that dies would, and waits until it is gone. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server with SIGTERM (graceful), then SIGKILL if it lingers. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
