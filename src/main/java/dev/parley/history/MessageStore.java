package dev.parley.history;

import dev.parley.protocol.ServerFrame.Message;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The durable per-room log: the seam between the chat and its storage (one JDBC implementation, on the
 * embedded SQLite or on PostgreSQL).
 * <p>
 * Contract: {@link #append} completes only after the message is committed, and its
 * {@code onCommitted} callbacks of one room run in increasing {@code seq} order, one at a
 * time, so publishing from them publishes in order. {@code seq} starts at 1
 * per room, grows by exactly 1 per stored message and is never reused.
 */
public interface MessageStore {

    /**
     * Stores a message; errors with {@code rate_limited} when the writer is saturated,
     * {@code internal} on failure.
     *
     * @param onCommitted runs once the message is durable, before the returned Mono completes,
     *                    in seq order per room, and even if the caller has cancelled meanwhile
     *                    (a stored message must still reach the room); must not block
     */
    default Mono<Message> append(String room, String from, String text, Consumer<Message> onCommitted) {
        return append(room, from, text, () -> true, onCommitted);
    }

    /**
     * {@link #append(String, String, String, Consumer)} into a room that may be deleted meanwhile:
     * {@code roomExists} is asked when the message's turn comes, in line with the room's deletion, and
     * if it says no the append fails with {@code no_such_room} and nothing is stored (a message must
     * not outlive its room, nor land in a new room of the same name). Must be cheap and must not block.
     */
    Mono<Message> append(String room, String from, String text, BooleanSupplier roomExists,
                         Consumer<Message> onCommitted);

    /** The newest {@code limit} messages with seq below {@code before} (null: newest), in increasing seq. */
    Mono<List<Message>> history(String room, Long before, int limit);

    /** The oldest {@code limit} messages with seq above {@code after}, in increasing seq (a page of a replay). */
    Mono<List<Message>> after(String room, long after, int limit);

    /** The highest stored seq of a room, 0 for none. */
    Mono<Long> lastSeq(String room);

    /** The last seq of every room that has messages, by room name: what each room's followers should have. */
    Mono<Map<String, Long>> lastSeqs();
}
