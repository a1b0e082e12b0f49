package dev.parley.session;

import dev.parley.stats.CloseReason;

/** What a session asks of its connection's transport (WebSocket or TCP). */
public interface Transport {

    /**
     * Ends the connection: stop writing, tell the peer why, and drop the socket if it does
     * not take the close in time. Idempotent; callable from any thread; must not block.
     */
    void close(CloseReason reason, int code, String message);
}
