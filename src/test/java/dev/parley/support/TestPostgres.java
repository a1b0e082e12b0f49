package dev.parley.support;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * The PostgreSQL server the tests may use: {@code PARLEY_TEST_POSTGRES_URL} ({@code jdbc:postgresql://host:port/db}),
 * with {@code PARLEY_TEST_POSTGRES_USER} and {@code PARLEY_TEST_POSTGRES_PASSWORD}; {@code .ci/run} starts a
 * throw-away one and sets them. Without it the PostgreSQL half is skipped, loudly, unless
 * {@code PARLEY_POSTGRES_TESTS=required} (CI sets it) makes that a failure. Each use gets a schema of its own.
 */
public final class TestPostgres {
    public static final String URL_VARIABLE = "PARLEY_TEST_POSTGRES_URL";
    public static final String REQUIRED_VARIABLE = "PARLEY_POSTGRES_TESTS";

    private TestPostgres() {
    }

    /** The test server's URL, or the calling tests skipped (failed, where required) when there is none. */
    public static String require() {
        return ExternalServers.require(URL_VARIABLE, REQUIRED_VARIABLE, "POSTGRESQL TESTS SKIPPED: no PostgreSQL server"
                + " (set " + URL_VARIABLE + ", as .ci/run does after starting a throw-away one); the suite's second run,"
                + " on PostgreSQL, is left out too.");
    }

    /** A pool on a new, empty schema of the test server, or the calling test skipped (failed, where required). */
    public static HikariDataSource freshSchema() {
        String schema = newSchema();
        HikariConfig config = new HikariConfig();
        config.setPoolName("parley-test-postgres");
        config.setJdbcUrl(inSchema(require(), schema));
        config.setUsername(user());
        config.setPassword(password());
        config.setMaximumPoolSize(8);
        config.setConnectionInitSql("CREATE SCHEMA IF NOT EXISTS " + schema);
        return new HikariDataSource(config);
    }

    /**
     * What puts a whole application on a new, empty schema of the test server (Flyway makes it); nothing
     * without a server, where {@link #require} has skipped the tests already.
     */
    public static Map<String, String> springProperties() {
        return springProperties(newSchema());
    }

    /** As {@link #springProperties()}, on the schema named after {@code seed}: an application started again finds its data. */
    public static Map<String, String> springPropertiesFor(String seed) {
        return springProperties("t_" + UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString()
                .replace("-", "").substring(0, 16));
    }

    /** The test server's host and port, from its URL ({@code jdbc:postgresql://host:port/db}). */
    public static java.net.URI address() {
        return java.net.URI.create(require().substring("jdbc:".length()));
    }

    /** As {@link #springProperties()}, reaching the server through {@code port} on loopback (a proxy's). */
    public static Map<String, String> springPropertiesThrough(int port) {
        java.net.URI server = address();
        return springProperties(newSchema(), require().replace(server.getHost() + ":" + server.getPort(), "127.0.0.1:" + port));
    }

    private static Map<String, String> springProperties(String schema) {
        return springProperties(schema, System.getenv(URL_VARIABLE));
    }

    private static Map<String, String> springProperties(String schema, String url) {
        if (url == null || url.isBlank()) {
            return Map.of();
        }
        // many applications stay cached at once: each holds few connections, and lets idle ones go
        return Map.of("spring.datasource.url", inSchema(url, schema), "spring.datasource.username", user(),
                "spring.datasource.password", password(), "spring.flyway.schemas", schema,
                "spring.datasource.hikari.maximum-pool-size", "6", "spring.datasource.hikari.minimum-idle", "0",
                "spring.datasource.hikari.idle-timeout", "10000");
    }

    private static String newSchema() {
        return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private static String inSchema(String url, String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static String user() {
        return System.getenv().getOrDefault("PARLEY_TEST_POSTGRES_USER", "parley");
    }

    private static String password() {
        return System.getenv().getOrDefault("PARLEY_TEST_POSTGRES_PASSWORD", "");
    }
}
