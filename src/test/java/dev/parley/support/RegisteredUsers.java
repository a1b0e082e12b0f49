package dev.parley.support;

import dev.parley.identity.ChatUser;
import dev.parley.identity.IdentityResolver;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * A fake identity seam for tests until accounts exist: {@code ?user=NAME} on a handshake or a
 * REST call is the registered user NAME (several connections allowed, membership and read marks
 * kept); anything else is decided as in production (a guest by {@code ?nickname=}, REST refused).
 */
@TestConfiguration
public class RegisteredUsers {

    @Bean
    @Primary
    IdentityResolver registeredOrGuest(IdentityResolver guestIdentityResolver) {
        return new IdentityResolver() {
            @Override
            public Mono<ChatUser> resolve(ServerWebExchange exchange) {
                ChatUser user = registered(exchange);
                return user != null ? Mono.just(user) : guestIdentityResolver.resolve(exchange);
            }

            @Override
            public Mono<ChatUser> caller(ServerWebExchange exchange) {
                ChatUser user = registered(exchange);
                return user != null ? Mono.just(user) : guestIdentityResolver.caller(exchange);
            }
        };
    }

    private static ChatUser registered(ServerWebExchange exchange) {
        String user = exchange.getRequest().getQueryParams().getFirst("user");
        return user != null ? new ChatUser(user, false) : null;
    }
}
