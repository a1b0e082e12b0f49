package dev.parley.bus;

import dev.parley.protocol.ServerFrame;

/**
 * A committed message on its way to its room's followers.
 *
 * @param json             the message frame, encoded once for every recipient
 * @param committedAtNanos {@link System#nanoTime()} at its commit on this node, or when it arrived from another
 */
public record RoomMessage(ServerFrame.Message message, byte[] json, long committedAtNanos) {

    public String room() {
        return message.room();
    }

    public long seq() {
        return message.seq();
    }
}
