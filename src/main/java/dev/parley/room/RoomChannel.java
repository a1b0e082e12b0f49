package dev.parley.room;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.publisher.Sinks.EmitResult;

/**
 * A room's live fan-out. The sink is {@code directBestEffort}: it never buffers and never
 * conforms to the slowest subscriber; each subscriber (a connection's
 * {@code RoomCursor}) requests unbounded and applies its own bounded-buffer policy.
 * Messages are published by the store's writer thread in seq order; ephemeral frames
 * from any thread, dropped when another emit is in progress.
 */
public final class RoomChannel {
    private static final Logger log = LoggerFactory.getLogger(RoomChannel.class);

    private final String name;
    private final String visibility;
    private final Sinks.Many<Delivery> sink = Sinks.many().multicast().directBestEffort();
    private volatile long lastSeq;

    public RoomChannel(String name, String visibility, long lastSeq) {
        this.name = name;
        this.visibility = visibility;
        this.lastSeq = lastSeq;
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

    /** Live deliveries from the moment of subscription; hot, never replays. */
    public Flux<Delivery> deliveries() {
        return sink.asFlux();
    }

    public int subscribers() {
        return sink.currentSubscriberCount();
    }

    public void publish(Delivery delivery) {
        if (!delivery.ephemeral()) {
            lastSeq = delivery.seq();
        }
        for (;;) {
            EmitResult result = sink.tryEmitNext(delivery);
            switch (result) {
                // nobody connected in this room: nothing to deliver live, the log has it
                case OK, FAIL_ZERO_SUBSCRIBER -> {
                    return;
                }
                case FAIL_NON_SERIALIZED -> {
                    if (delivery.ephemeral()) {
                        // a typing frame while a message fans out: ephemeral, so dropped rather than
                        // spinning an event loop for the length of someone else's fan-out
                        return;
                    }
                    // a message (writer thread) meets a short typing emit: spin bare
                    // (BlockHound counts Thread.onSpinWait as blocking)
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
        // FAIL_TERMINATED when closed twice: fine
        sink.tryEmitComplete();
    }
}
