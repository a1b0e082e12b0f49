package dev.parley.websocket;

import dev.parley.config.ParleyProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import reactor.netty.http.server.WebsocketServerSpec;

import java.util.Map;

/**
 * Maps {@code /ws} to the chat handler. The WebSocket service enforces the contract's
 * frame limit in Netty (1009 beyond it).
 */
@Configuration(proxyBeanMethods = false)
class WebSocketConfiguration implements WebFluxConfigurer {
    static final String PATH = "/ws";

    private final ParleyProperties properties;

    WebSocketConfiguration(ParleyProperties properties) {
        this.properties = properties;
    }

    @Bean
    HandlerMapping webSocketMapping(ChatWebSocketHandler handler) {
        return new SimpleUrlHandlerMapping(Map.of(PATH, handler), -1);
    }

    @Override
    public WebSocketService getWebSocketService() {
        int frameMax = (int) properties.limits().frameMax().toBytes();
        return new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
                () -> WebsocketServerSpec.builder().maxFramePayloadLength(frameMax)));
    }
}
