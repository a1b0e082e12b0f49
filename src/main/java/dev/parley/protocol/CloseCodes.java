package dev.parley.protocol;

/** WebSocket close codes the server uses, with the contract's meaning. */
public final class CloseCodes {
    /** Normal close, e.g. after the idle timeout. */
    public static final int NORMAL = 1000;
    /** The server is shutting down: reconnect (elsewhere) and resume. */
    public static final int GOING_AWAY = 1001;
    /** Policy violation, e.g. a name claimed by a concurrent handshake or repeated abuse. */
    public static final int POLICY = 1008;
    /** A frame (or fragmented message) over the size limit. */
    public static final int TOO_BIG = 1009;
    /** The server could not set up the connection (e.g. the store did not answer for the welcome). */
    public static final int INTERNAL_ERROR = 1011;
    /** Slow consumer: the outbound buffer overflowed; reconnect and resume, nothing is lost. */
    public static final int SLOW_CONSUMER = 4000;

    private CloseCodes() {
    }
}
