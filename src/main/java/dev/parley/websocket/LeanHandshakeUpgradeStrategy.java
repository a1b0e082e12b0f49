package dev.parley.websocket;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import java.util.function.Supplier;

/**
 * Upgrades as the delegate does, but the session keeps only the handshake's URI and principal.
 * Spring's handshake info holds a copy of every request header and the parsed cookies for the
 * whole life of the connection, about 2 KB per connection that Parley never reads after the
 * handshake: identity, origin and limits are all decided before the upgrade. For the same reason
 * the connection does not inherit the request's Reactor context.
 */
final class LeanHandshakeUpgradeStrategy implements RequestUpgradeStrategy {

    private final RequestUpgradeStrategy delegate;

    LeanHandshakeUpgradeStrategy(RequestUpgradeStrategy delegate) {
        this.delegate = delegate;
    }

    @Override
    public Mono<Void> upgrade(ServerWebExchange exchange, WebSocketHandler handler, @Nullable String subProtocol,
                              Supplier<HandshakeInfo> handshakeInfoFactory) {
        return delegate.upgrade(exchange, handler, subProtocol, () -> lean(handshakeInfoFactory.get()))
                // the connection's subscriber keeps the Reactor context of the upgrade for the connection's whole
                // life, and the request's filters put the exchange itself there (Spring Security does): the
                // WebSocket needs none of it, so it starts from an empty context
                .contextWrite(context -> Context.empty());
    }

    private static HandshakeInfo lean(HandshakeInfo full) {
        return new HandshakeInfo(full.getUri(), HttpHeaders.EMPTY, full.getPrincipal(), full.getSubProtocol());
    }
}
