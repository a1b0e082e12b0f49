package dev.parley.websocket;

import dev.parley.account.LoggedOut;
import dev.parley.protocol.CloseCodes;
import dev.parley.stats.CloseReason;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The connections each login token opened, so that logging out ends them (1008): a token that no
 * longer opens anything must not keep reading what it opened before.
 */
@Component
class TokenConnections {
    /** Long enough for any handshake that checked a token just before its logout to have opened. */
    private static final long TOMBSTONE_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final Map<String, Set<WebSocketConnection>> byToken = new ConcurrentHashMap<>();
    /** Tokens logged out lately, with when: a connection whose handshake raced the logout opens after it. */
    private final Map<String, Long> loggedOut = new ConcurrentHashMap<>();

    /** Registers a connection of a token; false if the token was logged out meanwhile (then close it). */
    boolean opened(String tokenId, WebSocketConnection connection) {
        byToken.computeIfAbsent(tokenId, id -> ConcurrentHashMap.newKeySet()).add(connection);
        // checked after registering: a logout either finds this connection or is found here
        if (loggedOut.containsKey(tokenId)) {
            closed(tokenId, connection);
            return false;
        }
        return true;
    }

    void closed(String tokenId, WebSocketConnection connection) {
        byToken.computeIfPresent(tokenId, (id, connections) -> {
            connections.remove(connection);
            return connections.isEmpty() ? null : connections;
        });
    }

    @EventListener
    void loggedOut(LoggedOut event) {
        long now = System.nanoTime();
        loggedOut.values().removeIf(at -> now - at > TOMBSTONE_NANOS);
        loggedOut.put(event.tokenId(), now);
        Set<WebSocketConnection> connections = byToken.remove(event.tokenId());
        if (connections != null) {
            connections.forEach(TokenConnections::end);
        }
    }

    static void end(WebSocketConnection connection) {
        connection.close(CloseReason.LOGGED_OUT, CloseCodes.POLICY, "logged out");
    }
}
