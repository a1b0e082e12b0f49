package dev.parley.identity;

import dev.parley.config.ParleyProperties;
import dev.parley.presence.PresenceRegistry;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Names;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Guests by {@code ?nickname=}: a valid name that is not registered and nobody is using right now. The check
 * here answers the handshake early (409); the session claims the name atomically when it opens.
 */
@Component
class Guests {
    private final ParleyProperties properties;
    private final PresenceRegistry presence;
    private final UserDirectory users;

    Guests(ParleyProperties properties, PresenceRegistry presence, UserDirectory users) {
        this.properties = properties;
        this.presence = presence;
        this.users = users;
    }

    Mono<ChatUser> admit(ServerWebExchange exchange) {
        String nickname = exchange.getRequest().getQueryParams().getFirst("nickname");
        if (nickname == null || !properties.guests().enabled()) {
            return Mono.error(new ChatException(ErrorCode.UNAUTHORIZED,
                    properties.guests().enabled() ? "log in, or connect as a guest with ?nickname="
                            : "log in first: guests are not enabled"));
        }
        if (!Names.isValidUser(nickname)) {
            return Mono.error(new ChatException(ErrorCode.BAD_REQUEST,
                    "a nickname is 1-32 characters of A-Z a-z 0-9 _ - ."));
        }
        if (users.isRegistered(nickname)) {
            return Mono.error(new ChatException(ErrorCode.NAME_TAKEN, "'" + nickname + "' is a registered name"));
        }
        if (presence.isOnline(nickname)) {
            return Mono.error(new ChatException(ErrorCode.NAME_TAKEN, "'" + nickname + "' is online right now"));
        }
        return Mono.just(new ChatUser(nickname, true));
    }
}
