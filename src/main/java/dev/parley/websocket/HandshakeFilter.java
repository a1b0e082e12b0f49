package dev.parley.websocket;

import dev.parley.identity.IdentityResolver;
import dev.parley.web.ErrorResponses;
import io.netty.channel.Channel;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import reactor.netty.Connection;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Decides who opens {@code /ws} before the upgrade: 401 without an identity, 409 for a
 * nickname in use, each with the contract's JSON body. The user rides into the
 * WebSocket session as its principal.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class HandshakeFilter implements WebFilter {
    private final IdentityResolver identities;

    HandshakeFilter(IdentityResolver identities) {
        this.identities = identities;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!WebSocketConfiguration.PATH.equals(exchange.getRequest().getPath().pathWithinApplication().value())) {
            return chain.filter(exchange);
        }
        return identities.resolve(exchange)
                .flatMap(user -> {
                    Channel channel = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest())
                            instanceof Connection c ? c.channel() : null;
                    HandshakePrincipal principal = new HandshakePrincipal(user, channel);
                    return chain.filter(exchange.mutate().principal(Mono.just(principal)).build());
                })
                .onErrorResume(dev.parley.protocol.ChatException.class,
                        e -> ErrorResponses.write(exchange.getResponse(), e));
    }
}
