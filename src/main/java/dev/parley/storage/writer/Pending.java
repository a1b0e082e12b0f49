package dev.parley.storage.writer;

import dev.parley.protocol.ServerFrame.Message;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** What waits for the writer: a message to append, or another write in its own transaction. */
sealed interface Pending {

    /** A message; {@code roomExists} is asked when its turn comes, {@code onCommitted} runs after its commit. */
    record Append(String room, String from, String text, BooleanSupplier roomExists,
                  Consumer<Message> onCommitted, MonoSink<Message> sink) implements Pending {
    }

    /**
     * A write other than a message (rooms, memberships, accounts), in its own transaction, in queue order with
     * the appends around it.
     *
     * @param deletion    a room this write deletes: its messages are purged after it ({@link RoomPurges}); null
     *                    for any other write
     * @param onCommitted runs on the writer thread after the commit (for a deletion: after the purge), even
     *                    if the caller cancelled
     * @param done        completes then too, just before {@code onCommitted} for a deletion (whoever hears of
     *                    the deletion finds the name free)
     * @param counted     whether it holds a place under the queue's bound (given back when the writer takes it)
     */
    record Write(Statements statements, RoomDeletion deletion, Runnable onCommitted, Sinks.Empty<Void> done,
                 boolean counted) implements Pending {
    }

    /**
     * A deleted room: its messages go in chunks after its write, and {@code last} runs in the final
     * chunk's transaction (the room's own row goes last, so a crash midway leaves a stored, empty room
     * that is deleted again after its grace period, never messages without a room).
     */
    record RoomDeletion(String room, Statements last) {
    }
}
