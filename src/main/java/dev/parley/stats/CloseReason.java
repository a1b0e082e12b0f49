package dev.parley.stats;

import java.util.Locale;

/** Why a connection ended; the {@code reason} tag of {@code parley.connections.closed}. */
public enum CloseReason {
    /** The client closed, or sent QUIT. */
    NORMAL,
    /** Slow consumer: the outbound buffer overflowed (close code 4000). */
    SLOW,
    /** Silent longer than the idle timeout. */
    IDLE,
    /** Transport error or an unexpected failure. */
    ERROR,
    /** A protocol limit: oversized frame (1009) or policy (1008). */
    LIMIT,
    /** The server is shutting down (1001). */
    SHUTDOWN,
    /** The login token it was opened with was logged out (1008). */
    LOGGED_OUT,
    /** The credential it was opened with (a login token, a JWT) expired (1008). */
    EXPIRED;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
