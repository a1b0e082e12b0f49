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
 * Guests by nickname ({@code ?nickname=} on a WebSocket, the console's {@code YOUR NICK?}): a valid
 * name that is not registered and nobody is using right now. The check here answers early (409,
 * {@code NICK TAKEN}); the session claims the name atomically when it opens.
 */
@Component
public class Guests {
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
        if (nickname == null && properties.guests().enabled()) {
            return Mono.error(new ChatException(ErrorCode.UNAUTHORIZED, "log in, or connect as a guest with ?nickname="));
        }
        return Mono.fromCallable(() -> admit(nickname));
    }

    /**
     * The guest a nickname makes.
     *
     * @throws ChatException {@code unauthorized} when guests are off, {@code bad_request} for an invalid
     *                       name, {@code name_taken} for a registered name or one online now
     */
    public ChatUser admit(String nickname) {
        if (!properties.guests().enabled()) {
            throw new ChatException(ErrorCode.UNAUTHORIZED, "log in first: guests are not enabled");
        }
        if (!Names.isValidUser(nickname)) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "a nickname is " + Names.USER_RULE);
        }
        if (users.isRegistered(nickname)) {
            throw new ChatException(ErrorCode.NAME_TAKEN, "'" + nickname + "' is a registered name");
        }
        if (presence.isOnline(nickname)) {
            throw new ChatException(ErrorCode.NAME_TAKEN, "'" + nickname + "' is online right now");
        }
        return new ChatUser(nickname, true);
    }
}
