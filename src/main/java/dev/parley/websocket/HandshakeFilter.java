package dev.parley.websocket;

import dev.parley.identity.IdentityResolver;
import dev.parley.identity.UserAuthentication;
import dev.parley.limits.ConnectionCaps;
import dev.parley.protocol.ChatException;
import dev.parley.web.ClientAddress;
import dev.parley.web.ErrorResponses;
import dev.parley.web.WebSocketPath;
import io.netty.channel.Channel;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * Decides who opens {@code /ws} before the upgrade, once Spring Security has checked any
 * credential: 401 without an identity, 409 for a nickname in use, 429 over a connection cap,
 * each with the contract's JSON body. The user rides into the WebSocket session as its principal,
 * with its place under the caps, which the connection gives back when it ends.
 */
@Component
// after Spring Security's chain (-100), whose authentication it reads
@Order(0)
class HandshakeFilter implements WebFilter {
    private final IdentityResolver identities;
    private final ConnectionCaps caps;

    HandshakeFilter(IdentityResolver identities, ConnectionCaps caps) {
        this.identities = identities;
        this.caps = caps;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!WebSocketPath.matches(exchange.getRequest())) {
            return chain.filter(exchange);
        }
        Mono<String> tokenId = identities.authenticated(exchange).mapNotNull(UserAuthentication::tokenId);
        return identities.resolve(exchange)
                .zipWith(tokenId.defaultIfEmpty(""))
                .flatMap(userAndToken -> {
                    String address = ClientAddress.of(exchange.getRequest());
                    ConnectionCaps.Admission admission = caps.admit(userAndToken.getT1(), address);
                    Channel channel = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest())
                            instanceof Connection c ? c.channel() : null;
                    HandshakePrincipal principal = new HandshakePrincipal(userAndToken.getT1(),
                            userAndToken.getT2().isEmpty() ? null : userAndToken.getT2(), address, channel, admission);
                    return chain.filter(exchange.mutate().principal(Mono.just(principal)).build())
                            // answered without an upgrade (a 400 for a missing Upgrade header, say): no
                            // connection claimed the place, so it is given back here
                            .doFinally(signal -> admission.closeUnlessClaimed());
                })
                .onErrorResume(ChatException.class, e -> ErrorResponses.write(exchange.getResponse(), e));
    }
}
