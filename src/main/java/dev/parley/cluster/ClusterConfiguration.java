package dev.parley.cluster;

import dev.parley.config.ParleyProperties;
import dev.parley.room.GapFiller;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Cluster mode's own parts ({@code parley.cluster.enabled}): the rooms' reconciliation with the database, and the
 * refusal to start on the embedded store, which only one process can use.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = ClusterModeEnvironment.ENABLED, havingValue = "true")
class ClusterConfiguration {

    ClusterConfiguration(Environment environment) {
        if (environment.getProperty("spring.datasource.url", "").isBlank()) {
            throw new IllegalStateException("parley.cluster.enabled needs a database the nodes share: set "
                    + "spring.datasource.url (jdbc:postgresql://host:port/db); the embedded store serves one node only");
        }
    }

    @Bean
    Reconciliation reconciliation(GapFiller gaps, ParleyProperties properties) {
        return new Reconciliation(gaps, properties.cluster().reconcileInterval());
    }
}
