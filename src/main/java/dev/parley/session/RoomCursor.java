package dev.parley.session;

import dev.parley.room.Delivery;
import reactor.core.Disposable;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's position in one room: passes live deliveries on in seq order, never
 * one twice, and merges a stored replay with live traffic without a gap.
 * <p>
 * The connection has delivered every seq in {@code (floor, lastSeq]}. While held (a
 * snapshot or replay is being read) live messages wait here, bounded in bytes; the
 * following {@link #start} or {@link #resume} sends what they do not cover.
 * Threading: live deliveries arrive on the connection's event loop (its room lane), replay
 * pages on a store thread, the rest on the
 * connection's; a short lock orders them (nothing inside blocks).
 */
public final class RoomCursor implements Consumer<Delivery> {
    private static final Logger log = LoggerFactory.getLogger(RoomCursor.class);

    private final String room;
    private final Consumer<Delivery> target;
    private final long holdCapacity;
    private final Runnable onCutOff;
    private List<Delivery> held = new ArrayList<>();
    private long heldBytes;
    private long floor;
    private long lastSeq;
    private Disposable subscription;

    /**
     * A new cursor is held until {@link #start}.
     *
     * @param onCutOff called when the connection must be cut off and resume: held messages over
     *                 {@code holdCapacity}, or a gap in live seqs
     */
    RoomCursor(String room, Consumer<Delivery> target, long holdCapacity, Runnable onCutOff) {
        this.room = room;
        this.target = target;
        this.holdCapacity = holdCapacity;
        this.onCutOff = onCutOff;
    }

    public String room() {
        return room;
    }

    @Override
    public void accept(Delivery delivery) {
        boolean overflow = false;
        boolean gap = false;
        synchronized (this) {
            if (delivery.ephemeral()) {
                if (held == null) {
                    target.accept(delivery);
                }
                return;
            }
            if (delivery.notice() && held == null) {
                target.accept(delivery);
                return;
            }
            if (held != null) {
                // a notice waits too, in its place among the messages
                heldBytes += delivery.json().length;
                overflow = heldBytes > holdCapacity;
                if (!overflow) {
                    held.add(delivery);
                }
            } else if (delivery.seq() == lastSeq + 1) {
                lastSeq = delivery.seq();
                target.accept(delivery);
            } else if (delivery.seq() > lastSeq) {
                // the room's lane for this event loop fell too far behind and skipped (it logs that once),
                // or a bug: either way the client is cut off and resumes rather than silently missing a message
                gap = true;
            }
        }
        if (gap) {
            // debug: a lane that falls behind cuts off every follower at once, and has already said so
            log.debug("Room {} skipped from seq {} to {}: cutting the connection off to resume", room, lastSeq,
                    delivery.seq());
        }
        if (overflow || gap) {
            onCutOff.run();
        }
    }

    /** Begins live delivery after {@code snapshotSeq}, the room's seq the client was told. */
    synchronized void start(long snapshotSeq) {
        floor = snapshotSeq;
        lastSeq = snapshotSeq;
        releaseHeld();
    }

    /**
     * Holds live messages while a replay is read.
     *
     * @return false if a replay of this room is already running on this connection
     */
    public synchronized boolean hold() {
        if (held != null) {
            return false;
        }
        held = new ArrayList<>();
        heldBytes = 0;
        return true;
    }

    /**
     * Sends one page of a replay (stored messages in increasing seq), skipping what this
     * connection already has; call while {@linkplain #hold() held}.
     */
    public synchronized void replay(List<Delivery> page) {
        for (Delivery message : page) {
            // (floor, lastSeq] went out on this connection already: never twice
            if (message.seq() > floor && message.seq() <= lastSeq) {
                continue;
            }
            target.accept(message);
            lastSeq = Math.max(lastSeq, message.seq());
        }
    }

    /**
     * Ends a replay: sends the held live messages past it and goes live again.
     *
     * @param covered the replay held every stored seq above this one
     * @return the last seq this connection now has in the room
     */
    public synchronized long finishReplay(long covered) {
        floor = Math.min(floor, covered);
        releaseHeld();
        return lastSeq;
    }

    /** A whole replay in one page: {@link #replay} then {@link #finishReplay} (a shorthand for tests). */
    synchronized long resume(long covered, List<Delivery> replay) {
        replay(replay);
        return finishReplay(covered);
    }

    public synchronized long lastSeq() {
        return lastSeq;
    }

    synchronized void subscribed(Disposable subscription) {
        this.subscription = subscription;
    }

    /** Stops live delivery (the connection closed or left the room). */
    synchronized void dispose() {
        held = null;
        if (subscription != null) {
            subscription.dispose();
        }
    }

    private void releaseHeld() {
        List<Delivery> waiting = held;
        held = null;
        if (waiting != null) {
            for (Delivery message : waiting) {
                if (message.notice()) {
                    target.accept(message);
                } else if (message.seq() > lastSeq) {
                    lastSeq = message.seq();
                    target.accept(message);
                }
            }
        }
    }
}
