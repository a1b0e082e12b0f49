package dev.parley.session;

/**
 * One encoded frame queued for a connection. {@code bytes} may be shared by every
 * recipient of a broadcast (encoded once) and must not be modified.
 *
 * @param committedAtNanos for messages, when the store committed it (delivery latency); else 0
 */
public record Outgoing(byte[] bytes, Kind kind, long committedAtNanos) {

    public enum Kind {
        /** A stored message: never dropped; overflowing the buffer with it cuts the connection off. */
        MESSAGE,
        /** A membership notice of a room ({@code joined}, {@code left}): like a message, never dropped. */
        NOTICE,
        /** A reply to the client's own request: admitted always; the request reader waits instead. */
        REPLY,
        /** Typing or presence: dropped first when the connection lags. */
        EPHEMERAL,
        /** A transport keep-alive (WebSocket ping). */
        PING
    }

    public static Outgoing reply(byte[] bytes) {
        return new Outgoing(bytes, Kind.REPLY, 0);
    }

    public int size() {
        return bytes.length;
    }
}
