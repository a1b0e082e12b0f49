package dev.parley.config;

import dev.parley.protocol.FrameCodec;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The properties tree and the protocol codec built from its limits. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ParleyProperties.class)
class ProtocolConfiguration {

    @Bean
    FrameCodec frameCodec(ParleyProperties properties) {
        return new FrameCodec(properties.protocolLimits());
    }
}
