package dev.parley.support;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Several Parley nodes in cluster mode on the test PostgreSQL (one schema they share) and the test Redis (one
 * namespace they share), each with its own port and data directory: in this JVM ({@link #start}), or in a JVM of
 * its own that a test can kill ({@link #startProcess}); stopped after each test. Register with
 * {@code @RegisterExtension}. {@link #redisThroughProxy} puts a proxy that can be cut between the nodes and Redis.
 */
public final class ClusterNodes implements AfterEachCallback {
    private final List<AutoCloseable> nodes = new ArrayList<>();
    private String namespace;
    private String redisUrl;
    private Map<String, String> database;
    private FaultyTcpProxy redisProxy;
    private int started;

    private void prepare() {
        if (namespace == null) {
            redisUrl = TestRedis.require();
            TestPostgres.require();
            namespace = TestRedis.freshNamespace();
            database = TestPostgres.springPropertiesFor(namespace);
        }
    }

    /** Puts a proxy between the nodes started from now on and Redis, to cut Redis off and bring it back. */
    public FaultyTcpProxy redisThroughProxy() throws IOException {
        prepare();
        URI redis = URI.create(redisUrl);
        redisProxy = new FaultyTcpProxy(redis.getHost(), redis.getPort());
        redisUrl = "redis://127.0.0.1:" + redisProxy.port();
        return redisProxy;
    }

    /** Gives the nodes started from now on a Redis of this test's own, which it can restart; stopped after the test. */
    public PrivateRedis privateRedis() throws IOException {
        prepare();
        PrivateRedis redis = PrivateRedis.start();
        nodes.add(0, redis);
        redisUrl = redis.url();
        return redis;
    }

    /** Starts {@code count} more nodes of this test's cluster in this JVM, with {@code args} beside the cluster's own. */
    public List<ParleyApp> start(int count, String... args) {
        return startWith(new Class<?>[0], count, args);
    }

    /** As {@link #start}, with test configurations (a fault-injecting decorator, say). */
    public List<ParleyApp> startWith(Class<?>[] configurations, int count, String... args) {
        List<ParleyApp> fresh = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ParleyApp node = ParleyApp.start(dataDir(), configurations, arguments(args).toArray(String[]::new));
            nodes.add(node);
            fresh.add(node);
        }
        return fresh;
    }

    /** Starts one more node in a JVM of its own. */
    public ParleyProcess startProcess(String... args) throws Exception {
        List<String> arguments = arguments(args);
        ParleyProcess node = ParleyProcess.start(dataDir(), arguments.toArray(String[]::new));
        nodes.add(node);
        return node;
    }

    private List<String> arguments(String... args) {
        prepare();
        List<String> arguments = new ArrayList<>(List.of("--spring.profiles.active=test",
                "--parley.cluster.enabled=true", "--parley.cluster.namespace=" + namespace,
                "--parley.cluster.node-id=node-" + ++started, "--spring.data.redis.url=" + redisUrl));
        database.forEach((name, value) -> arguments.add("--" + name + "=" + value));
        arguments.addAll(List.of(args));
        return arguments;
    }

    private static Path dataDir() {
        try {
            return Files.createTempDirectory("parley-node");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        // in reverse: the last started goes first
        for (int i = nodes.size() - 1; i >= 0; i--) {
            try {
                nodes.get(i).close();
            } catch (RuntimeException e) {
                // a node a test stopped already
            }
        }
        nodes.clear();
        if (redisProxy != null) {
            redisProxy.close();
            redisProxy = null;
        }
        namespace = null;
        started = 0;
    }
}
