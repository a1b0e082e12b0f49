package dev.parley.room;

import dev.parley.protocol.ServerFrame;

/**
 * One broadcast in a room, encoded once: every recipient shares {@code json}.
 *
 * @param seq the message's seq, or 0 for a frame that is not a stored message
 * @param committedAtNanos {@link System#nanoTime()} at commit, for the delivery-latency timer; 0 for
 *                         anything but a live message
 */
public record Delivery(String room, long seq, ServerFrame frame, byte[] json, long committedAtNanos, Kind kind) {

    public enum Kind {
        /** A stored message, live: in seq order, never dropped (a lagging connection is cut off and resumes). */
        MESSAGE,
        /** A stored message read back for a {@code resume}: history, paced by its reader. */
        REPLAY,
        /** A membership change ({@code joined}, {@code left}): not stored, but kept in order with the messages. */
        NOTICE,
        /** Typing: dropped first when a connection lags. */
        EPHEMERAL
    }

    /** A live message if it has a commit time, a replayed one if not; an ephemeral frame without seq. */
    public Delivery(String room, long seq, ServerFrame frame, byte[] json, long committedAtNanos) {
        this(room, seq, frame, json, committedAtNanos,
                seq == 0 ? Kind.EPHEMERAL : committedAtNanos == 0 ? Kind.REPLAY : Kind.MESSAGE);
    }

    /** A stored message read back for a {@code resume}: history, not live traffic. */
    public static Delivery replayed(ServerFrame.Message message, byte[] json) {
        return new Delivery(message.room(), message.seq(), message, json, 0, Kind.REPLAY);
    }

    public static Delivery notice(String room, ServerFrame frame, byte[] json) {
        return new Delivery(room, 0, frame, json, 0, Kind.NOTICE);
    }

    public static Delivery ephemeral(String room, ServerFrame frame, byte[] json) {
        return new Delivery(room, 0, frame, json, 0, Kind.EPHEMERAL);
    }

    public boolean ephemeral() {
        return kind == Kind.EPHEMERAL;
    }

    public boolean replay() {
        return kind == Kind.REPLAY;
    }

    public boolean notice() {
        return kind == Kind.NOTICE;
    }

    /** A stored message, live or replayed: the frames a room's seq orders. */
    public boolean stored() {
        return kind == Kind.MESSAGE || kind == Kind.REPLAY;
    }
}
