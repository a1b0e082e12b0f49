package dev.parley.room;

import dev.parley.protocol.ServerFrame;

/**
 * One broadcast in a room, encoded once: every recipient shares {@code json}.
 *
 * @param seq the message's seq, or 0 for an ephemeral frame (typing)
 * @param committedAtNanos {@link System#nanoTime()} at commit, for the delivery-latency timer (0 if ephemeral)
 */
public record Delivery(String room, long seq, ServerFrame frame, byte[] json, long committedAtNanos) {

    public boolean ephemeral() {
        return seq == 0;
    }
}
