package dev.parley.deploy;

import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static dev.parley.support.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stack without Docker, end to end: {@code deploy/local/cluster.sh} starts PostgreSQL, Redis, three nodes (here
 * from the test classpath) and HAProxy with the compose stack's file. Through the balancer, clients on different
 * nodes chat; one node is stopped, and its clients reconnect through the balancer to the others and resume with
 * nothing lost. Needs Debian's haproxy, postgresql and redis-server: skipped loudly without them, unless
 * {@code PARLEY_STACK_TESTS=required} (CI sets it) makes that a failure.
 */
class LocalStackTests {
    private static final Logger log = LoggerFactory.getLogger(LocalStackTests.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    // within a guest's burst of messages (20 by default): the limits stay as a client meets them
    private static final int MESSAGES = 15;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    @Test
    void throughTheBalancerClientsChatAndThoseOfAStoppedNodeResumeOnTheOthersWithNothingLost() throws Exception {
        requireTools();
        // readable by PostgreSQL's own user, which a root build runs the database as
        Path dir = Files.createTempDirectory("parley-stack",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path stack = dir.resolve("stack");
        int lb = freePort();
        run("up", stack, lb);
        try {
            Map<String, String> nodes = nodes(stack);
            int victim = port(nodes.get("PARLEY_NODE1"));
            int survivor = port(nodes.get("PARLEY_NODE2"));
            // readers through the balancer until one is on the node that will stop
            List<ChatClient> readers = new ArrayList<>();
            Map<ChatClient, Long> lastSeen = new HashMap<>();
            while (connections(victim) == 0) {
                assertThat(readers).as("the balancer spreads connections").hasSizeLessThan(9);
                ChatClient reader = clients.guest(lb, "st-reader-" + readers.size());
                lastSeen.put(reader, reader.welcome().get("rooms").get(0).get("seq").asLong());
                readers.add(reader);
            }
            ChatClient sender = clients.welcomedGuest(survivor, "st-sender");
            long start = lastSeen.get(readers.get(0));
            assertThat(sender.call(frame("send", "room", "general", "text", "st-0")).get("type").asString()).isEqualTo("ack");
            for (ChatClient reader : readers) {
                lastSeen.put(reader, reader.expect("message").get("seq").asLong());
            }

            new ProcessBuilder("kill", Files.readString(stack.resolve("node1.pid")).trim()).start().waitFor();
            for (int i = 1; i < MESSAGES; i++) {
                assertThat(sender.call(frame("send", "room", "general", "text", "st-" + i)).get("type").asString())
                        .as("stored and acked through a surviving node").isEqualTo("ack");
            }

            List<Long> expected = LongStream.rangeClosed(start + 1, start + MESSAGES).boxed().toList();
            int moved = 0;
            for (int r = 0; r < readers.size(); r++) {
                ChatClient reader = readers.get(r);
                List<Long> seen = new ArrayList<>(List.of(lastSeen.get(reader)));
                JsonNode frame;
                while (seen.size() < MESSAGES && (frame = reader.nextOrClosed()) != null) {
                    if ("message".equals(frame.path("type").asString())) {
                        seen.add(frame.get("seq").asLong());
                    }
                }
                if (seen.size() < MESSAGES) {
                    WebSocketCloseStatus closed = reader.closeStatus();
                    assertThat(closed.code()).as("a drained connection is told to go elsewhere").isEqualTo(1001);
                    moved++;
                    seen.addAll(resumeThroughBalancer(lb, "st-reader-" + r, seen.get(seen.size() - 1), start + MESSAGES));
                }
                assertThat(seen).as("reader %d: every message once, in order", r).isEqualTo(expected);
            }
            assertThat(moved).as("clients of the stopped node moved").isPositive();
            log.info("Stack: {} readers, {} moved from the stopped node and resumed through the balancer", readers.size(),
                    moved);
        } finally {
            run("down", stack, lb);
            try (var left = Files.walk(dir)) {
                left.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Reconnects through the balancer under the same name and resumes after {@code after}, until {@code last}. */
    private List<Long> resumeThroughBalancer(int lb, String nickname, long after, long last) {
        ChatClient[] back = new ChatClient[1];
        // the stopped node may still hold the name for a moment: 409 until it has let go
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            back[0] = clients.welcomedGuest(lb, nickname);
            return true;
        });
        back[0].send(frame("resume", "after", Map.of("general", after), "id", "resume"));
        List<Long> seqs = new ArrayList<>();
        while (seqs.isEmpty() || seqs.get(seqs.size() - 1) < last) {
            JsonNode frame = back[0].next();
            if ("message".equals(frame.path("type").asString()) && frame.get("seq").asLong() > after
                    && !seqs.contains(frame.get("seq").asLong())) {
                seqs.add(frame.get("seq").asLong());
            }
        }
        return seqs;
    }

    private static int connections(int nodePort) throws Exception {
        HttpResponse<String> stats = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + nodePort + "/api/stats")).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(stats.body()).get("connections").asInt();
    }

    private static Map<String, String> nodes(Path stack) throws IOException {
        Map<String, String> nodes = new HashMap<>();
        for (String word : Files.readString(stack.resolve("nodes.env")).split("\\s+")) {
            if (word.contains("=")) {
                nodes.put(word.substring(0, word.indexOf('=')), word.substring(word.indexOf('=') + 1));
            }
        }
        return nodes;
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    private static void run(String action, Path stack, int lb) throws Exception {
        ProcessBuilder script = new ProcessBuilder("deploy/local/cluster.sh", action, stack.toString())
                .redirectErrorStream(true).redirectOutput(dirOf(stack).resolve(action + ".log").toFile());
        script.environment().put("LB_HTTP_PORT", String.valueOf(lb));
        script.environment().put("LB_CONSOLE_PORT", String.valueOf(freePort()));
        script.environment().put("PARLEY_NODE_COMMAND", String.join(" ",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "dev.parley.ParleyApplication"));
        Process process = script.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("cluster.sh " + action + " did not finish within 180 s");
        }
        assertThat(process.exitValue()).as("cluster.sh %s: %s", action,
                Files.readString(dirOf(stack).resolve(action + ".log"))).isZero();
    }

    private static Path dirOf(Path stack) {
        return stack.getParent();
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private static void requireTools() {
        boolean present = Files.isExecutable(Path.of("/usr/sbin/haproxy")) || onPath("haproxy");
        present &= onPath("redis-server");
        if (!present) {
            String message = "STACK TEST SKIPPED: haproxy, postgresql and redis-server are needed "
                    + "(apt-get install haproxy postgresql redis-server)";
            if ("required".equals(System.getenv("PARLEY_STACK_TESTS"))) {
                throw new AssertionError(message);
            }
            log.warn(message);
            Assumptions.abort(message);
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
