package dev.parley.websocket;

import dev.parley.identity.ChatUser;
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

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

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
        Mono<Optional<UserAuthentication>> credential =
                identities.authenticated(exchange).map(Optional::of).defaultIfEmpty(Optional.empty());
        Channel channel = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest())
                instanceof Connection c ? c.channel() : null;
        String address = ClientAddress.of(exchange.getRequest());
        // the address's place among the cluster's connections: given back unless an admission came to hold it
        AtomicBoolean sharedTaken = new AtomicBoolean();
        AtomicBoolean admitted = new AtomicBoolean();
        return identities.resolve(exchange)
                .zipWith(credential)
                .flatMap(userAndCredential -> caps.takeAcrossNodes(address)
                        .doOnSuccess(taken -> sharedTaken.set(true)).thenReturn(userAndCredential))
                // a credential is looked up on a store thread: the upgrade and the connection's set-up go back to
                // the socket's own event loop, where the transport expects its reads to be switched on and off
                .flatMap(userAndCredential -> onEventLoop(channel, () -> {
                    ChatUser user = userAndCredential.getT1();
                    UserAuthentication proof = userAndCredential.getT2().orElse(null);
                    ConnectionCaps.Admission admission = caps.admit(user, address);
                    admitted.set(true);
                    String tokenId = proof == null ? null : proof.tokenId();
                    // a login token's connections end with it; a JWT is a short-lived pass to open one, checked here
                    HandshakePrincipal principal = new HandshakePrincipal(user, tokenId,
                            tokenId == null ? null : proof.expiresAt(), address, channel, admission);
                    return chain.filter(exchange.mutate().principal(Mono.just(principal)).build())
                            // answered without an upgrade (a 400 for a missing Upgrade header, say): no
                            // connection claimed the place, so it is given back here
                            .doFinally(signal -> admission.closeUnlessClaimed());
                }))
                .doFinally(signal -> {
                    if (sharedTaken.get() && !admitted.get()) {
                        caps.giveAcrossNodes(address);
                    }
                })
                .onErrorResume(ChatException.class, e -> ErrorResponses.write(exchange.getResponse(), e));
    }

    /** Runs {@code work} on the channel's event loop: at once when already there, else handed over. */
    private static Mono<Void> onEventLoop(Channel channel, Supplier<Mono<Void>> work) {
        if (channel == null || channel.eventLoop().inEventLoop()) {
            return Mono.defer(work);
        }
        return Mono.<Void>create(hop -> channel.eventLoop().execute(hop::success)).then(Mono.defer(work));
    }
}
