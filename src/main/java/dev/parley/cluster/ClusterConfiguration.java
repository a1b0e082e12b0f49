package dev.parley.cluster;

import dev.parley.chat.EmptyRoomSweeper;
import dev.parley.config.ParleyProperties;
import dev.parley.room.GapFiller;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Cluster mode's own rounds ({@code parley.cluster.enabled}), and its refusal to start on the embedded store, which
 * only one process can use.
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

    /**
     * Each room followed on this node is compared with the database's last seq and caught up: pub/sub drops what
     * is published while a node is not subscribed, and a lost message shows no gap until the room's next one.
     */
    @Bean
    Rounds reconciliation(GapFiller gaps, ParleyProperties properties) {
        return new Rounds(gaps::reconcile, properties.cluster().reconcileInterval());
    }

    /** Rooms past their grace are claimed and deleted by whichever node comes first. */
    @Bean
    Rounds emptyRoomSweep(EmptyRoomSweeper sweeper, ParleyProperties properties) {
        return new Rounds(sweeper::sweep, properties.cluster().reconcileInterval());
    }
}
