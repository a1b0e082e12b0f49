package dev.parley.support;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * With {@code -Dparley.test.database=postgres} (the build's second test run), every application the tests start
 * that names no database of its own gets a new, empty schema of the test PostgreSQL: the same suite, on the
 * production store.
 */
public final class PostgresForEveryContext implements EnvironmentPostProcessor, Ordered {
    static final String SWITCH = "parley.test.database";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!"postgres".equals(System.getProperty(SWITCH)) || environment.containsProperty("spring.datasource.url")) {
            return;
        }
        // a schema per data directory (each test application has its own): one started again (a restart test)
        // finds its data again
        String dataDir = environment.getProperty("parley.data-dir", "");
        Map<String, String> properties = dataDir.isEmpty() ? TestPostgres.springProperties()
                : TestPostgres.springPropertiesFor(dataDir);
        if (properties.isEmpty()) {
            throw new IllegalStateException(SWITCH + "=postgres, but no test PostgreSQL: set " + TestPostgres.URL_VARIABLE);
        }
        environment.getPropertySources().addFirst(new MapPropertySource("test-postgres", Map.copyOf(properties)));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
