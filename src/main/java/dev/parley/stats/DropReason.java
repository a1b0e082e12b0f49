package dev.parley.stats;

import java.util.Locale;

/** Why an outbound frame was not sent; the {@code reason} tag of {@code parley.frames.dropped}. */
public enum DropReason {
    /** An ephemeral frame (typing, presence) for a connection that lags. */
    LAGGING,
    /** The connection was already closing. */
    CLOSED;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
