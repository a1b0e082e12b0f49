package dev.parley.session;

import dev.parley.account.LoggedOut;
import dev.parley.bus.Bus;
import dev.parley.bus.BusListener;
import dev.parley.protocol.CloseCodes;
import dev.parley.stats.CloseReason;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The connections each login token opened, WebSockets and consoles alike, so that logging out ends them
 * (1008): a token that no longer opens anything must not keep reading what it opened before. A token's
 * set is changed only inside the map's step for that token, so a connection opening as another closes
 * can never land in a set that was just dropped.
 */
@Component
public class TokenConnections implements BusListener {
    /** Long enough for any handshake that checked a token just before its logout to have opened. */
    private static final long TOMBSTONE_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final Map<String, Set<Transport>> byToken = new ConcurrentHashMap<>();
    /** Tokens logged out lately, with when: a connection whose handshake raced the logout opens after it. */
    private final Map<String, Long> loggedOut = new ConcurrentHashMap<>();
    private final ObjectProvider<Bus> bus;

    public TokenConnections(ObjectProvider<Bus> bus) {
        this.bus = bus;
    }

    /** Registers a connection of a token; false if the token was logged out meanwhile (then it is closed here). */
    public boolean opened(String tokenId, Transport connection) {
        byToken.compute(tokenId, (id, open) -> {
            Set<Transport> connections = open != null ? open : ConcurrentHashMap.newKeySet();
            connections.add(connection);
            return connections;
        });
        // checked after registering: a logout either finds this connection or is found here
        if (loggedOut.containsKey(tokenId)) {
            closed(tokenId, connection);
            end(connection);
            return false;
        }
        return true;
    }

    public void closed(String tokenId, Transport connection) {
        byToken.computeIfPresent(tokenId, (id, connections) -> {
            connections.remove(connection);
            return connections.isEmpty() ? null : connections;
        });
    }

    /** A logout here: every node hears of it, this one too ({@link #onLoggedOut}). */
    @EventListener
    void loggedOut(LoggedOut event) {
        bus.getObject().loggedOut(event.tokenId());
    }

    @Override
    public void onLoggedOut(String tokenId) {
        long now = System.nanoTime();
        loggedOut.values().removeIf(at -> now - at > TOMBSTONE_NANOS);
        loggedOut.put(tokenId, now);
        Set<Transport> connections = byToken.remove(tokenId);
        if (connections != null) {
            connections.forEach(TokenConnections::end);
        }
    }

    /** How many tokens have connections open (for tests of what is kept). */
    int tokens() {
        return byToken.size();
    }

    /** Whether a logout of the token would reach the connection now (for tests). */
    boolean reaches(String tokenId, Transport connection) {
        Set<Transport> connections = byToken.get(tokenId);
        return connections != null && connections.contains(connection);
    }

    private static void end(Transport connection) {
        connection.close(CloseReason.LOGGED_OUT, CloseCodes.POLICY, "logged out");
    }
}
