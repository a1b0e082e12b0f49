package dev.parley.bus.redis;

import dev.parley.bus.Bus;
import dev.parley.bus.BusListener;
import dev.parley.bus.BusListeners;
import dev.parley.bus.NodeId;
import dev.parley.config.ParleyProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

import java.time.Duration;

/** Cluster mode's wiring of the bus: Redis between the nodes. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "parley.cluster.enabled", havingValue = "true")
class RedisBusConfiguration {
    /** How often the bus checks that it hears itself. */
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    @Bean(destroyMethod = "destroy")
    ReactiveRedisMessageListenerContainer busSubscriptions(ReactiveRedisConnectionFactory redis) {
        return new ReactiveRedisMessageListenerContainer(redis);
    }

    @Bean(destroyMethod = "close")
    RedisBus redisBus(ReactiveStringRedisTemplate redis, ReactiveRedisMessageListenerContainer subscriptions,
                      ObjectProvider<BusListener> listeners, NodeId node, ParleyProperties properties) {
        return new RedisBus(redis, subscriptions, new BusListeners(listeners), node.value(),
                properties.cluster().namespace(), CHECK_INTERVAL, properties.cluster().nodeTimeout());
    }
}
