package dev.parley.stats;

import java.util.Locale;

/** An abuse limit that refused something; the {@code limit} tag of {@code parley.limits.refused}. */
public enum Limit {
    /** Frames of one connection ({@code parley.abuse.frames-*}). */
    FRAMES,
    /** Messages of one user, all connections together ({@code parley.abuse.messages-*}). */
    MESSAGES,
    /** Open connections of one user. */
    CONNECTIONS_PER_USER,
    /** Open connections from one address. */
    CONNECTIONS_PER_ADDRESS,
    /** WebSocket handshakes in progress at once. */
    HANDSHAKES,
    /** Rooms one user has created and that still exist. */
    ROOMS,
    /** Logins and registrations from one address. */
    AUTH_ATTEMPTS,
    /** Connections closed with 1008 after repeated {@code rate_limited} answers. */
    ABUSE;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
