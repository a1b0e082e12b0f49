package dev.parley.session;

import dev.parley.stats.CloseReason;

import java.util.concurrent.Executor;

/** What a session asks of its connection's transport (WebSocket or TCP). */
public interface Transport {

    /**
     * Ends the connection: stop writing, tell the peer why, and drop the socket if it does
     * not take the close in time. Idempotent; callable from any thread; must not block.
     */
    void close(CloseReason reason, int code, String message);

    /**
     * The thread that writes to this connection (its event loop). A room hands each message to
     * every such thread once, and the thread fans it out to all of its connections: one hand-off
     * per message and thread, not per connection, and each connection's write starts on the
     * thread that owns it, so the frames of one pass go out together. Runs tasks in order.
     */
    default Executor writer() {
        return Runnable::run;
    }

    /** The peer's address, as the limits count it. */
    default String address() {
        return "unknown";
    }

    /**
     * Whether a connection silent for the idle timeout is closed. A WebSocket client's library answers
     * pings, so silence means a dead peer; a console user reads for hours without typing (TCP
     * keep-alive finds its dead peers instead).
     */
    default boolean closesWhenIdle() {
        return true;
    }
}
