package dev.parley.session;

/** A connection that opens while the server shuts down: it is told 1001 at once and goes elsewhere. */
public final class ServerClosingException extends RuntimeException {
    public ServerClosingException() {
        super("the server is shutting down; reconnect and resume", null, false, false);
    }
}
