package dev.parley.session;

import dev.parley.identity.ChatUser;
import dev.parley.presence.PresenceEvent;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Delivery;
import dev.parley.room.RoomChannel;
import dev.parley.stats.CloseReason;
import dev.parley.stats.ParleyMetrics;
import dev.parley.protocol.CloseCodes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * One connection of one user, whatever the transport: its outbox, its room cursors and
 * its presence interest. Created when the connection opens, {@link #dispose disposed}
 * when it ends; nothing here is static.
 * <p>
 * Until {@link #open} queues the first frame (the welcome), live traffic waits in a
 * small gate list, so nothing overtakes the welcome.
 */
public final class ChatSession {
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final ChatUser user;
    private final Outbox outbox;
    private final SessionRenderer renderer;
    private final Transport transport;
    private final long holdCapacity;
    private final Map<String, RoomCursor> cursors = new ConcurrentHashMap<>();
    /** The users whose presence this connection watches (its {@code presence_sub}), kept by {@link PresenceWatchers}. */
    private volatile Set<String> presenceWatch = Set.of();
    private volatile long lastInboundNanos = System.nanoTime();
    /** When the credential the connection was opened with expires (epoch millis); never for guests and passwords. */
    private volatile long expiresAtMillis = Long.MAX_VALUE;
    private volatile List<Outgoing> gate = new ArrayList<>();
    private long gateBytes;
    private volatile boolean hearsPresence;
    private volatile boolean disposed;

    public ChatSession(ChatUser user, SessionRenderer renderer, Transport transport, ParleyMetrics metrics,
                       long capacity, long ephemeralLimit) {
        this.user = user;
        this.renderer = renderer;
        this.transport = transport;
        this.holdCapacity = capacity;
        this.outbox = new Outbox(capacity, ephemeralLimit, metrics,
                () -> transport.close(CloseReason.SLOW, CloseCodes.SLOW_CONSUMER, "slow consumer"));
    }

    public long id() {
        return id;
    }

    public ChatUser user() {
        return user;
    }

    public Outbox outbox() {
        return outbox;
    }

    public Transport transport() {
        return transport;
    }

    /** Sends a reply to this connection's own request (never dropped for lag). */
    public void reply(ServerFrame frame) {
        byte[] bytes = renderer.render(frame);
        if (bytes != null) {
            queue(Outgoing.reply(bytes));
        }
    }

    /**
     * An event for this connection that is not a reply to its own request ({@code invited},
     * {@code room_deleted}, a room joined through another connection): never dropped, bounded like a
     * message.
     */
    public void notify(ServerFrame frame) {
        byte[] bytes = renderer.render(frame);
        if (bytes != null) {
            queue(new Outgoing(bytes, Outgoing.Kind.NOTICE, 0));
        }
    }

    /** A broadcast for this connection; own typing and own joined notices are not echoed. */
    void deliver(Delivery delivery) {
        if (aboutSelf(delivery.frame())) {
            return;
        }
        byte[] bytes = renderer.render(delivery);
        if (bytes != null) {
            queue(new Outgoing(bytes, kindOf(delivery), delivery.committedAtNanos()));
        }
    }

    /** The user's own typing, or the short notice of its own join (its connections get the full form). */
    private boolean aboutSelf(ServerFrame frame) {
        if (frame instanceof ServerFrame.Typing typing) {
            return typing.user().equals(user.name());
        }
        return frame instanceof ServerFrame.Joined joined && joined.user().equals(user.name());
    }

    /** A replay is paced by its reader (it waits for the outbox), so it is a reply, not a broadcast. */
    private static Outgoing.Kind kindOf(Delivery delivery) {
        switch (delivery.kind()) {
            case EPHEMERAL:
                return Outgoing.Kind.EPHEMERAL;
            case REPLAY:
                return Outgoing.Kind.REPLY;
            case NOTICE:
                return Outgoing.Kind.NOTICE;
            default:
                return Outgoing.Kind.MESSAGE;
        }
    }

    /** A presence event that {@link PresenceWatchers} found this connection to hear. */
    void deliver(PresenceEvent event) {
        byte[] bytes = renderer.render(event);
        if (bytes != null) {
            queue(new Outgoing(bytes, Outgoing.Kind.EPHEMERAL, 0));
        }
    }

    /** Queues the first frame and lets the traffic that waited behind it through. */
    public void open(ServerFrame first) {
        synchronized (this) {
            byte[] bytes = renderer.render(first);
            if (bytes != null) {
                outbox.offer(Outgoing.reply(bytes));
            }
            for (Outgoing frame : gate) {
                outbox.offer(frame);
            }
            // opened only now: a thread that sees no gate may offer directly, so nothing may still be waiting
            gate = null;
        }
    }

    private void queue(Outgoing frame) {
        if (gate != null) {
            boolean overflow;
            synchronized (this) {
                if (gate != null) {
                    gateBytes += frame.size();
                    // the welcome waits on a store read: bounded like the outbox, a stuck read cuts off
                    overflow = gateBytes > holdCapacity;
                    if (!overflow) {
                        gate.add(frame);
                    }
                } else {
                    overflow = false;
                    outbox.offer(frame);
                }
            }
            if (overflow) {
                transport.close(CloseReason.SLOW, CloseCodes.SLOW_CONSUMER, "slow consumer");
            }
            return;
        }
        outbox.offer(frame);
    }

    /**
     * Subscribes this session to a room's live traffic after the room's current seq.
     *
     * @return that seq: the snapshot to announce (live delivery starts right after it)
     */
    public long follow(RoomChannel room) {
        return follow(room, snapshot -> {
        });
    }

    /**
     * Subscribes this session to a room's live traffic, unless it follows the room already, and
     * lets {@code announce} queue the frame that tells the client where live delivery starts
     * before any live frame of the room can follow it.
     *
     * @return the seq after which live delivery starts (for a room followed already: the last seq sent)
     */
    public long follow(RoomChannel room, LongConsumer announce) {
        RoomCursor cursor = new RoomCursor(room.name(), this::deliver, holdCapacity,
                () -> transport.close(CloseReason.SLOW, CloseCodes.SLOW_CONSUMER, "slow consumer"));
        RoomCursor current = cursors.putIfAbsent(room.name(), cursor);
        if (current != null) {
            long seq = current.lastSeq();
            announce.accept(seq);
            return seq;
        }
        cursor.subscribed(room.deliveries(transport.writer()).subscribe(cursor));
        if (disposed) {
            // the connection closed meanwhile: dispose() may have missed this cursor, so it goes now
            cursors.remove(room.name(), cursor);
            cursor.dispose();
            return room.lastSeq();
        }
        // read after subscribing: every later message reaches the cursor, every earlier one is in history
        long snapshot = room.lastSeq();
        announce.accept(snapshot);
        cursor.start(snapshot);
        return snapshot;
    }

    /** Stops the room's live traffic to this session (the user left, or the room is gone). */
    public void unfollow(String room) {
        RoomCursor cursor = cursors.remove(room);
        if (cursor != null) {
            cursor.dispose();
        }
    }

    /**
     * Runs {@code change} unless this session is disposed, in one step with that check: whatever
     * runs after {@link #dispose} (a guest's departure from its rooms) sees the change. Keep it short
     * and non-blocking.
     *
     * @return whether it ran
     */
    public synchronized boolean whileOpen(Runnable change) {
        if (disposed) {
            return false;
        }
        change.run();
        return true;
    }

    public RoomCursor cursor(String room) {
        return cursors.get(room);
    }

    public boolean follows(String room) {
        return cursors.containsKey(room);
    }

    public Collection<RoomCursor> cursors() {
        return cursors.values();
    }

    /** From now on this connection hears presence: the events that come up after its user went online. */
    public void followPresence() {
        hearsPresence = true;
    }

    boolean hearsPresence() {
        return hearsPresence && !disposed;
    }

    /** Replaces the watched users, returning the previous ones (for {@link PresenceWatchers}' index). */
    Set<String> swapPresenceWatch(Set<String> userKeys) {
        Set<String> before = presenceWatch;
        presenceWatch = userKeys;
        return before;
    }

    /** The connection ends once its credential expires (checked by the keep-alive, about once a ping interval). */
    public void expiresAt(Instant expiry) {
        expiresAtMillis = expiry == null ? Long.MAX_VALUE : expiry.toEpochMilli();
    }

    public boolean expired(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }

    public void touch() {
        lastInboundNanos = System.nanoTime();
    }

    public long silentNanos(long nowNanos) {
        return nowNanos - lastInboundNanos;
    }

    /** Stops every subscription and the outbox; the connection is gone. */
    public void dispose() {
        synchronized (this) {
            // under the monitor: see whileOpen
            disposed = true;
        }
        cursors.values().forEach(RoomCursor::dispose);
        cursors.clear();
        outbox.end(true);
    }
}
