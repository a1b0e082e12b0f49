package dev.parley.cluster;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.List;
import java.util.Map;

/**
 * Leaves Spring Boot's Redis auto-configuration out unless {@code parley.cluster.enabled}: a single node needs no
 * Redis, and must neither connect to one nor report a {@code redis} health component that is down.
 */
public final class ClusterModeEnvironment implements EnvironmentPostProcessor {
    static final String ENABLED = "parley.cluster.enabled";
    private static final String EXCLUDE = "spring.autoconfigure.exclude";
    private static final String PACKAGE = "org.springframework.boot.data.redis.autoconfigure.";
    private static final List<String> REDIS = List.of(PACKAGE + "DataRedisAutoConfiguration",
            PACKAGE + "DataRedisReactiveAutoConfiguration", PACKAGE + "DataRedisRepositoriesAutoConfiguration",
            PACKAGE + "health.DataRedisHealthContributorAutoConfiguration",
            PACKAGE + "health.DataRedisReactiveHealthContributorAutoConfiguration",
            PACKAGE + "observation.LettuceObservationAutoConfiguration");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getProperty(ENABLED, Boolean.class, false)) {
            return;
        }
        String excluded = String.join(",", REDIS);
        String already = environment.getProperty(EXCLUDE, "");
        environment.getPropertySources().addFirst(new MapPropertySource("parley-single-node",
                Map.of(EXCLUDE, already.isBlank() ? excluded : already + "," + excluded)));
    }
}
