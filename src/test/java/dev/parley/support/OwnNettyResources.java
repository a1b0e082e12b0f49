package dev.parley.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

import java.time.Duration;

/**
 * Event loops of the node's own, for a node started beside others in one JVM: with the global ones (a single node's
 * default), closing one node disposes the loops every other node and client of the JVM is running on.
 */
@TestConfiguration(proxyBeanMethods = false)
class OwnNettyResources {

    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory resources = new ReactorResourceFactory();
        resources.setUseGlobalResources(false);
        // nothing else runs on them: no need to wait for quiet when the node closes
        resources.setShutdownQuietPeriod(Duration.ZERO);
        return resources;
    }
}
