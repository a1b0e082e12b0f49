package dev.parley.room;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.publisher.Sinks.EmitResult;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A room's live fan-out, in one lane per writer thread (a connection's event loop). Publishing
 * hands a message to each lane's thread once, and that thread emits it to its own connections:
 * one cross-thread hand-off per message and event loop rather than per connection, and every
 * write starts on the thread that owns the socket, so one pass's frames are flushed together.
 *
 * <p>Each lane's sink is {@code directBestEffort}: it never buffers and never conforms to the
 * slowest subscriber; each subscriber (a connection's {@code RoomCursor}) requests unbounded and
 * applies its own bounded-buffer policy. Messages are published by the store's writer thread in
 * seq order, and a lane's thread runs its tasks in order, so every lane sees them in seq order.
 * Ephemeral frames come from any thread and are dropped when another emit is in progress.
 */
public final class RoomChannel {
    private static final Logger log = LoggerFactory.getLogger(RoomChannel.class);

    private final String name;
    private final String visibility;
    private final Map<Executor, Lane> lanes = new ConcurrentHashMap<>();
    private volatile long lastSeq;
    private volatile boolean closed;

    public RoomChannel(String name, String visibility, long lastSeq) {
        this.name = name;
        this.visibility = visibility;
        this.lastSeq = lastSeq;
    }

    /** The subscribers whose connections one thread writes, and that thread. */
    private record Lane(Executor writer, Sinks.Many<Delivery> sink) {
        Lane(Executor writer) {
            this(writer, Sinks.many().multicast().directBestEffort());
        }
    }

    public String name() {
        return name;
    }

    public String visibility() {
        return visibility;
    }

    /** The seq of the newest message published here. */
    public long lastSeq() {
        return lastSeq;
    }

    /**
     * Live deliveries from the moment of subscription, emitted on {@code writer}; hot, never
     * replays. Lanes live as long as the room: there is one per event loop, a handful.
     */
    public Flux<Delivery> deliveries(Executor writer) {
        Lane lane = lanes.computeIfAbsent(writer, Lane::new);
        if (closed) {
            // a lane opened as the room closed ends with it (completing twice is harmless)
            lane.sink().tryEmitComplete();
        }
        return lane.sink().asFlux();
    }

    public int subscribers() {
        int count = 0;
        for (Lane lane : lanes.values()) {
            count += lane.sink().currentSubscriberCount();
        }
        return count;
    }

    public void publish(Delivery delivery) {
        if (!delivery.ephemeral()) {
            lastSeq = delivery.seq();
        }
        for (Lane lane : lanes.values()) {
            // nobody connected through this thread: nothing to hand over, the log has it
            if (lane.sink().currentSubscriberCount() > 0) {
                handOver(lane, delivery);
            }
        }
    }

    private void handOver(Lane lane, Delivery delivery) {
        try {
            lane.writer().execute(() -> emit(lane.sink(), delivery));
        } catch (RejectedExecutionException shuttingDown) {
            // the event loop is stopping with its connections: they resume elsewhere
            log.debug("Room {} could not hand a delivery to a stopped writer", name);
        }
    }

    private void emit(Sinks.Many<Delivery> sink, Delivery delivery) {
        for (;;) {
            EmitResult result = sink.tryEmitNext(delivery);
            switch (result) {
                // the last subscriber of this lane left meanwhile: the log has it
                case OK, FAIL_ZERO_SUBSCRIBER -> {
                    return;
                }
                case FAIL_NON_SERIALIZED -> {
                    if (delivery.ephemeral()) {
                        // a typing frame while a message fans out: ephemeral, so dropped rather than
                        // spinning a thread for the length of someone else's fan-out
                        return;
                    }
                    // only where the writer runs tasks on the caller (tests): a message meets a short
                    // typing emit; spin bare (BlockHound counts Thread.onSpinWait as blocking)
                }
                default -> {
                    log.warn("Room {} could not publish: {}", name, result);
                    return;
                }
            }
        }
    }

    /** Ends the fan-out (room deleted); subscribers complete. */
    public void close() {
        closed = true;
        // FAIL_TERMINATED when closed twice: fine
        lanes.values().forEach(lane -> lane.sink().tryEmitComplete());
    }
}
