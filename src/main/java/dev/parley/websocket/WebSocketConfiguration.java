package dev.parley.websocket;

import dev.parley.config.ParleyProperties;
import dev.parley.web.WebSocketPath;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import reactor.netty.http.server.WebsocketServerSpec;

import java.util.Map;

/**
 * Maps {@code /ws} to the chat handler. The WebSocket service enforces the contract's
 * frame limit in Netty (1009 beyond it) and keeps no copy of the handshake's headers.
 */
@Configuration(proxyBeanMethods = false)
class WebSocketConfiguration implements WebFluxConfigurer {
    private final ParleyProperties properties;

    WebSocketConfiguration(ParleyProperties properties) {
        this.properties = properties;
    }

    /**
     * A WebSocket upgrade is one "request" that lasts the whole connection. Observed as an HTTP
     * request it would hold a long-task-timer sample and its key values per connection, and
     * report connection lifetimes as request latencies; connections have their own meters.
     */
    @Bean
    ObservationPredicate webSocketUpgradesAreNotHttpRequests() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && WebSocketPath.matches(request.getCarrier()));
    }

    @Bean
    HandlerMapping webSocketMapping(ChatWebSocketHandler handler) {
        return new SimpleUrlHandlerMapping(Map.of(WebSocketPath.PATH, handler), -1);
    }

    @Override
    public WebSocketService getWebSocketService() {
        int frameMax = (int) properties.limits().frameMax().toBytes();
        return new HandshakeWebSocketService(new LeanHandshakeUpgradeStrategy(
                () -> WebsocketServerSpec.builder().maxFramePayloadLength(frameMax)));
    }
}
