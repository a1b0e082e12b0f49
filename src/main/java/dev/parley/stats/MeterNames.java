package dev.parley.stats;

/** Every meter Parley registers (Prometheus: dots become underscores). Tags are bounded enums, never names. */
public final class MeterNames {
    /** Gauge: open connections (WebSocket and console). */
    public static final String CONNECTIONS = "parley.connections";
    /** Gauge: distinct users online. */
    public static final String USERS_ONLINE = "parley.users.online";
    /** Gauge: rooms that exist, general and conversations included. */
    public static final String ROOMS = "parley.rooms";
    /** Counter: connections opened. */
    public static final String CONNECTIONS_OPENED = "parley.connections.opened";
    /** Counter, tag {@code reason} ({@link CloseReason}): connections closed. */
    public static final String CONNECTIONS_CLOSED = "parley.connections.closed";
    /** Counter: messages received from clients. */
    public static final String MESSAGES_RECEIVED = "parley.messages.received";
    /** Counter: messages durably stored. */
    public static final String MESSAGES_STORED = "parley.messages.stored";
    /** Counter: message frames handed to a connection's socket. */
    public static final String MESSAGES_DELIVERED = "parley.messages.delivered";
    /** Counter: presence events handed to connections, one per connection reached (the cost of presence). */
    public static final String PRESENCE_DELIVERIES = "parley.presence.deliveries";
    /** Messages a room was missing (lost or late between nodes) and read from the store instead. */
    public static final String GAPS_FILLED = "parley.bus.gaps.filled";
    /** Counter: connections closed with 1001 by this node draining at shutdown (the drain progress). */
    public static final String DRAINED = "parley.shutdown.drained";
    /** Counter: messages this node published to the other nodes ({@code direction=out}) or heard from them ({@code in}). */
    public static final String BUS_MESSAGES = "parley.bus.messages";
    /** Counter: nodes this node reaped after they stopped beating. */
    public static final String NODES_REAPED = "parley.cluster.nodes.reaped";
    /** Counter, tag {@code reason} ({@link DropReason}): outbound frames dropped. */
    public static final String FRAMES_DROPPED = "parley.frames.dropped";
    /** Counter, tag {@code limit} ({@link Limit}): requests, frames and connections refused by an abuse limit. */
    public static final String LIMITS_REFUSED = "parley.limits.refused";
    /** Timer: from the commit of a message to its hand-over to a recipient's socket. */
    public static final String DELIVERY_LATENCY = "parley.delivery.latency";
    /** Distribution: messages per store transaction (group commit). */
    public static final String STORE_BATCH_SIZE = "parley.store.batch.size";
    /** Timer: one store transaction, insert to commit. */
    public static final String STORE_COMMIT = "parley.store.commit";

    private MeterNames() {
    }
}
