package dev.parley.support;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Several Parley nodes in this JVM, in cluster mode on the test PostgreSQL (one schema they share) and the test
 * Redis (one namespace they share), each with its own port and data directory; stopped after each test. Register
 * with {@code @RegisterExtension}.
 */
public final class ClusterNodes implements AfterEachCallback {
    private final List<ParleyApp> nodes = new ArrayList<>();
    private String namespace;
    private String redisUrl;
    private Map<String, String> database;

    /** Starts {@code count} more nodes of this test's cluster, with {@code args} beside the cluster's own. */
    public List<ParleyApp> start(int count, String... args) {
        if (namespace == null) {
            String redis = TestRedis.require();
            TestPostgres.require();
            namespace = TestRedis.freshNamespace();
            database = TestPostgres.springPropertiesFor(namespace);
            redisUrl = redis;
        }
        List<ParleyApp> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            started.add(startNode(args));
        }
        return started;
    }

    private ParleyApp startNode(String... args) {
        List<String> arguments = new ArrayList<>(List.of("--spring.profiles.active=test",
                "--parley.cluster.enabled=true", "--parley.cluster.namespace=" + namespace,
                "--parley.cluster.node-id=node-" + (nodes.size() + 1), "--spring.data.redis.url=" + redisUrl));
        database.forEach((name, value) -> arguments.add("--" + name + "=" + value));
        arguments.addAll(List.of(args));
        ParleyApp node = ParleyApp.start(dataDir(), new Class<?>[0], arguments.toArray(String[]::new));
        nodes.add(node);
        return node;
    }

    public List<ParleyApp> nodes() {
        return List.copyOf(nodes);
    }

    private static Path dataDir() {
        try {
            return Files.createTempDirectory("parley-node");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        // in reverse: the last started goes first
        for (int i = nodes.size() - 1; i >= 0; i--) {
            try {
                nodes.get(i).close();
            } catch (RuntimeException e) {
                // a node a test stopped already
            }
        }
        nodes.clear();
        namespace = null;
    }
}
