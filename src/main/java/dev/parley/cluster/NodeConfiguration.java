package dev.parley.cluster;

import dev.parley.bus.NodeId;
import dev.parley.config.ParleyProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** This node's id, in cluster mode or not (a single node is a cluster of one in {@code /api/stats}). */
@Configuration(proxyBeanMethods = false)
class NodeConfiguration {

    @Bean
    NodeId nodeId(ParleyProperties properties) {
        return NodeId.of(properties.cluster().nodeId());
    }
}
