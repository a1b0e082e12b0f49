package dev.parley.identity;

import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Decides who a WebSocket handshake belongs to, before the upgrade (seam: guests now,
 * accounts and tokens later). Errors with a {@link dev.parley.protocol.ChatException}:
 * {@code unauthorized} (401) or {@code name_taken} (409).
 */
public interface IdentityResolver {

    Mono<ChatUser> resolve(ServerWebExchange exchange);
}
