package dev.parley.session;

import dev.parley.stats.DropReason;
import dev.parley.stats.ParleyMetrics;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A connection's outbound buffer, bounded in bytes, with an explicit slow-consumer policy:
 * <ul>
 * <li>ephemeral frames are dropped while more than {@code ephemeralLimit} bytes wait;</li>
 * <li>a message that would take the buffer over {@code capacity} ends the stream: the
 *     connection is cut off (4000) and resumes from its last seq;</li>
 * <li>replies are always admitted; the transport stops reading requests while
 *     {@link #whenWritable()} is pending, which bounds them.</li>
 * </ul>
 * Threading: {@link #offer} may be called from any thread at once (an MPSC queue behind
 * the unicast sink); {@link #frames()} has one subscriber, the transport's writer.
 */
public final class Outbox {
    private final long capacity;
    private final long ephemeralLimit;
    private final ParleyMetrics metrics;
    private final Runnable onOverflow;
    private final Sinks.Many<Outgoing> sink =
            Sinks.unsafe().many().unicast().onBackpressureBuffer(Queues.<Outgoing>unboundedMultiproducer().get());
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicReference<Sinks.Empty<Void>> drained = new AtomicReference<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean discarding;

    /**
     * @param onOverflow called once, on the offering thread, when a message overflows; must not block
     */
    public Outbox(long capacity, long ephemeralLimit, ParleyMetrics metrics, Runnable onOverflow) {
        this.capacity = capacity;
        this.ephemeralLimit = ephemeralLimit;
        this.metrics = metrics;
        this.onOverflow = onOverflow;
    }

    /** Queues a frame under the policy; returns whether it was queued. */
    public boolean offer(Outgoing frame) {
        if (ended.get()) {
            metrics.frameDropped(DropReason.CLOSED);
            return false;
        }
        long queued = queuedBytes.get();
        switch (frame.kind()) {
            case EPHEMERAL -> {
                if (queued > ephemeralLimit) {
                    metrics.frameDropped(DropReason.LAGGING);
                    return false;
                }
            }
            case MESSAGE, NOTICE -> {
                if (queued + frame.size() > capacity) {
                    if (end(true)) {
                        onOverflow.run();
                    }
                    return false;
                }
            }
            default -> {
            }
        }
        queuedBytes.addAndGet(frame.size());
        // OK, or FAIL_CANCELLED/TERMINATED when the writer already went away: the connection is ending
        sink.tryEmitNext(frame);
        return true;
    }

    /**
     * The frames to write, for the transport's single writer. The stream completes when
     * it reaches the end that {@link #end} marked, or at once when that end discards.
     */
    public Flux<Outgoing> frames() {
        return sink.asFlux()
                .takeWhile(frame -> frame.kind() != Outgoing.Kind.END && !discarding)
                .doOnNext(this::taken);
    }

    /**
     * Ends the stream; frames offered later are dropped.
     *
     * @param discard drop what is still queued (a slow consumer resumes instead) rather than flush it
     * @return whether this call ended it (false if it had ended already)
     */
    public boolean end(boolean discard) {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        discarding = discard;
        // wakes the writer even when nothing else is queued, so takeWhile sees the end
        sink.tryEmitNext(Outgoing.END);
        signalDrained();
        return true;
    }

    public boolean ended() {
        return ended.get();
    }

    /** Completes when the buffer is at or below capacity (or the outbox ended). */
    public Mono<Void> whenWritable() {
        if (queuedBytes.get() <= capacity || ended.get()) {
            return Mono.empty();
        }
        Sinks.Empty<Void> waiter = drained.updateAndGet(current -> current != null ? current : Sinks.empty());
        if (queuedBytes.get() <= capacity || ended.get()) {
            signalDrained();
        }
        return waiter.asMono();
    }

    public long queuedBytes() {
        return queuedBytes.get();
    }

    private void taken(Outgoing frame) {
        long left = queuedBytes.addAndGet(-frame.size());
        if (left <= capacity && drained.get() != null) {
            signalDrained();
        }
    }

    private void signalDrained() {
        Sinks.Empty<Void> waiter = drained.getAndSet(null);
        if (waiter != null) {
            // only fails when already completed by a racing signal: fine either way
            waiter.tryEmitEmpty();
        }
    }
}
