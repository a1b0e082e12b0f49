package dev.parley.support;

import dev.parley.identity.ChatUser;
import dev.parley.identity.IdentityResolver;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import reactor.core.publisher.Mono;

/**
 * A fake identity seam for tests until accounts exist: {@code ?user=NAME} connects as the
 * registered user NAME (several connections allowed, membership and read marks kept),
 * anything else as a guest by {@code ?nickname=}.
 */
@TestConfiguration
public class RegisteredUsers {

    @Bean
    @Primary
    IdentityResolver registeredOrGuest(IdentityResolver guestIdentityResolver) {
        return exchange -> {
            String user = exchange.getRequest().getQueryParams().getFirst("user");
            return user != null ? Mono.just(new ChatUser(user, false)) : guestIdentityResolver.resolve(exchange);
        };
    }
}
