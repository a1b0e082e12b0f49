package dev.parley.bench.server;

/** The PostgreSQL that servers under measurement store into: {@code jdbc:postgresql://host:port/db}, user, password. */
public record Database(String url, String user, String password) {

    /** {@code BENCH_POSTGRES_URL} ({@code bench/run} sets it), {@code BENCH_POSTGRES_USER} and {@code _PASSWORD}. */
    public static Database fromEnvironment() {
        String url = System.getenv("BENCH_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("a PostgreSQL target needs BENCH_POSTGRES_URL (bench/run sets it)");
        }
        return new Database(url, System.getenv().getOrDefault("BENCH_POSTGRES_USER", "parley"),
                System.getenv().getOrDefault("BENCH_POSTGRES_PASSWORD", ""));
    }
}
