package dev.parley.support;

import java.util.UUID;

/**
 * The Redis server the cluster tests use: {@code PARLEY_TEST_REDIS_URL} ({@code redis://host:port}); {@code .ci/run}
 * starts a throw-away one and sets it. Without it the cluster tests are skipped, loudly, unless
 * {@code PARLEY_REDIS_TESTS=required} (CI sets it) makes that a failure. Each test cluster gets a namespace of its
 * own, so test clusters sharing the server never hear each other.
 */
public final class TestRedis {
    public static final String URL_VARIABLE = "PARLEY_TEST_REDIS_URL";
    public static final String REQUIRED_VARIABLE = "PARLEY_REDIS_TESTS";

    private TestRedis() {
    }

    /** The test server's URL, or the calling tests skipped (failed, where required) when there is none. */
    public static String require() {
        return ExternalServers.require(URL_VARIABLE, REQUIRED_VARIABLE, "CLUSTER TESTS SKIPPED: no Redis server (set "
                + URL_VARIABLE + ", as .ci/run does after starting a throw-away one).");
    }

    /** A namespace no other test cluster uses. */
    public static String freshNamespace() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
