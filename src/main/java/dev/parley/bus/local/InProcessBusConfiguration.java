package dev.parley.bus.local;

import dev.parley.bus.Bus;
import dev.parley.bus.BusListener;
import dev.parley.bus.BusListeners;
import dev.parley.limits.SharedLimits;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The single node's wiring (cluster mode off, the default). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "parley.cluster.enabled", havingValue = "false", matchIfMissing = true)
class InProcessBusConfiguration {

    @Bean
    Bus inProcessBus(ObjectProvider<BusListener> listeners) {
        return new InProcessBus(new BusListeners(listeners));
    }

    /** One node's own limits are the whole: nothing to share. */
    @Bean
    SharedLimits sharedLimits() {
        return SharedLimits.NONE;
    }
}
