package dev.parley.identity;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Decides who a request belongs to (seam: guests now, accounts and tokens later). Errors with a
 * {@link dev.parley.protocol.ChatException}: {@code unauthorized} (401) or {@code name_taken} (409).
 */
public interface IdentityResolver {

    /** Who opens a WebSocket, before the upgrade: a user with credentials, or a guest by nickname. */
    Mono<ChatUser> resolve(ServerWebExchange exchange);

    /**
     * Who calls the REST API. Only credentials count: a guest exists only through its connection,
     * so a nickname proves nothing here. Without accounts, nobody has credentials.
     */
    default Mono<ChatUser> caller(ServerWebExchange exchange) {
        return Mono.error(new ChatException(ErrorCode.UNAUTHORIZED, "log in first"));
    }
}
