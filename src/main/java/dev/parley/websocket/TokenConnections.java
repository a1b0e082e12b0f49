package dev.parley.websocket;

import dev.parley.account.LoggedOut;
import dev.parley.protocol.CloseCodes;
import dev.parley.stats.CloseReason;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections each login token opened, so that logging out ends them (1008): a token that no
 * longer opens anything must not keep reading what it opened before.
 */
@Component
class TokenConnections {
    private final Map<String, Set<WebSocketConnection>> byToken = new ConcurrentHashMap<>();

    void opened(String tokenId, WebSocketConnection connection) {
        byToken.computeIfAbsent(tokenId, id -> ConcurrentHashMap.newKeySet()).add(connection);
    }

    void closed(String tokenId, WebSocketConnection connection) {
        byToken.computeIfPresent(tokenId, (id, connections) -> {
            connections.remove(connection);
            return connections.isEmpty() ? null : connections;
        });
    }

    @EventListener
    void loggedOut(LoggedOut event) {
        Set<WebSocketConnection> connections = byToken.remove(event.tokenId());
        if (connections != null) {
            connections.forEach(connection -> connection.close(CloseReason.LOGGED_OUT, CloseCodes.POLICY, "logged out"));
        }
    }
}
