package dev.parley.storage.writer;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * What follows a transaction: after a batch's commit each stored message's callback runs (the chat acks it and
 * publishes it), then its caller hears, in seq order, so a seq is delivered only once it is durable; after a
 * failure every sender hears, and nobody saw the batch's seqs. A room change's hook likewise.
 */
final class Handoff {
    private static final Logger log = LoggerFactory.getLogger(Handoff.class);

    private Handoff() {
    }

    static void committed(List<Pending.Append> appends, List<Message> stored) {
        for (int i = 0; i < appends.size(); i++) {
            Pending.Append append = appends.get(i);
            Message message = stored.get(i);
            try {
                // first and unconditionally: a stored message reaches its room even if its sender went away
                append.onCommitted().accept(message);
            } catch (RuntimeException | Error e) {
                // an Error too: escaping here would leave the writer's loop silent for good
                log.error("Publishing stored message {}#{} failed", message.room(), message.seq(), e);
            }
            append.sink().success(message);
        }
    }

    static void failed(List<Pending.Append> appends) {
        for (Pending.Append append : appends) {
            append.sink().error(new ChatException(ErrorCode.INTERNAL, "the message could not be stored"));
        }
    }

    /** Runs a room change's hook; its failure is logged, never thrown into the writer's loop. */
    static void run(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException | Error e) {
            log.error("Applying a stored room change failed", e);
        }
    }
}
