package dev.parley.identity;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Decides who a request belongs to, once Spring Security has checked its credentials (a token, the
 * session cookie or a JWT: {@link UserAuthentication}). Errors with a {@link ChatException}:
 * {@code unauthorized} (401), {@code bad_request} or {@code name_taken} (409).
 */
@Component
public class IdentityResolver {
    private final Guests guests;

    IdentityResolver(Guests guests) {
        this.guests = guests;
    }

    /** Who opens a WebSocket, before the upgrade: a user with credentials, or a guest by nickname. */
    public Mono<ChatUser> resolve(ServerWebExchange exchange) {
        return authenticated(exchange).map(UserAuthentication::user).switchIfEmpty(Mono.defer(() -> guests.admit(exchange)));
    }

    /**
     * Who calls the REST API. Only credentials count: a guest exists only through its connection,
     * so a nickname proves nothing here.
     */
    public Mono<ChatUser> caller(ServerWebExchange exchange) {
        return authenticated(exchange).map(UserAuthentication::user)
                .switchIfEmpty(Mono.error(() -> new ChatException(ErrorCode.UNAUTHORIZED, "log in first")));
    }

    /** The proven identity of a request, if any. */
    public Mono<UserAuthentication> authenticated(ServerWebExchange exchange) {
        return exchange.getPrincipal().ofType(UserAuthentication.class);
    }
}
