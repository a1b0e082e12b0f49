package dev.parley.bus;

import dev.parley.protocol.ServerFrame;

/**
 * A committed message on its way to its room's followers.
 *
 * @param json             the message frame, encoded once for every recipient
 * @param committedAtNanos {@link System#nanoTime()} at its commit on this node, or when it arrived from another
 * @param roomCreatedAt    its room's {@code createdAt}: a message of a deleted room is never taken for one of a
 *                         later room of the same name
 */
public record RoomMessage(ServerFrame.Message message, byte[] json, long committedAtNanos, long roomCreatedAt) {

    public String room() {
        return message.room();
    }

    public long seq() {
        return message.seq();
    }
}
