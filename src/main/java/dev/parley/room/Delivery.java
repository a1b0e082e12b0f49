package dev.parley.room;

import dev.parley.protocol.ServerFrame;

/**
 * One broadcast in a room, encoded once: every recipient shares {@code json}.
 *
 * @param seq the message's seq, or 0 for an ephemeral frame (typing)
 * @param committedAtNanos {@link System#nanoTime()} at commit, for the delivery-latency timer; 0 for an
 *                         ephemeral frame or a message replayed from the log
 */
public record Delivery(String room, long seq, ServerFrame frame, byte[] json, long committedAtNanos) {

    /** A stored message read back for a {@code resume}: history, not live traffic. */
    public static Delivery replayed(ServerFrame.Message message, byte[] json) {
        return new Delivery(message.room(), message.seq(), message, json, 0);
    }

    public boolean ephemeral() {
        return seq == 0;
    }

    public boolean replay() {
        return seq != 0 && committedAtNanos == 0;
    }
}
