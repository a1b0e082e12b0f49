package dev.parley.bus.redis;

import dev.parley.bus.BusListener;
import dev.parley.bus.BusListeners;
import dev.parley.bus.NodeId;
import dev.parley.config.ParleyProperties;
import dev.parley.limits.SharedLimits;
import dev.parley.stats.ParleyMetrics;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.Delay;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Cluster mode's wiring of the bus: Redis between the nodes. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "parley.cluster.enabled", havingValue = "true")
class RedisBusConfiguration {
    /** How often the bus checks that it hears itself. */
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    /** Commands one connection may have waiting for Redis's answer before more are refused. */
    static final int COMMANDS_WAITING_MAX = 100_000;

    /** Reconnects soon after Redis is back (Lettuce's default waits up to 30 s): the others must catch up in 10 s. */
    @Bean
    ClientResourcesBuilderCustomizer busReconnects() {
        return resources -> resources.reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(1),
                2, TimeUnit.MILLISECONDS));
    }

    /**
     * Commands fail at once while Redis is away instead of piling up in Lettuce's buffer, and past
     * {@value #COMMANDS_WAITING_MAX} waiting for a slow Redis (Lettuce's default queue has no bound): what they
     * carried is caught up from the database anyway, and a buffer would grow with the outage.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer busRejectsWhileAway() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(COMMANDS_WAITING_MAX);
    }

    @Bean(destroyMethod = "destroy")
    ReactiveRedisMessageListenerContainer busSubscriptions(ReactiveRedisConnectionFactory redis) {
        return new ReactiveRedisMessageListenerContainer(redis);
    }

    /** Every Redis command of this node leaves from one thread; let go when the context is destroyed. */
    @Bean(destroyMethod = "close")
    RedisCommands busCommands(ReactiveStringRedisTemplate redis) {
        return new RedisCommands(redis);
    }

    @Bean
    RedisBus redisBus(RedisCommands redis, ReactiveRedisMessageListenerContainer subscriptions,
                      ObjectProvider<BusListener> listeners, NodeId node, ParleyProperties properties,
                      ParleyMetrics metrics) {
        return new RedisBus(redis, subscriptions, new BusListeners(listeners), node.value(),
                properties.cluster().namespace(), CHECK_INTERVAL, properties.cluster().nodeTimeout(), metrics);
    }

    @Bean
    SharedLimits sharedLimits(RedisCommands redis, NodeId node, ParleyProperties properties) {
        return new RedisSharedLimits(redis, properties.cluster().namespace(), node.value(),
                properties.cluster().nodeTimeout());
    }
}
