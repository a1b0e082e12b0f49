package dev.parley.session;

import dev.parley.stats.DropReason;
import dev.parley.stats.ParleyMetrics;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

import java.util.AbstractQueue;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Function;

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
 * the unicast sink); {@link #frames} has one subscriber, the transport's writer.
 * <p>
 * The writer takes frames straight from the queue: a frame is counted out of the buffer and
 * turned into the transport's wire object in the queue's {@code poll}, so the stream needs no
 * operators of its own (each one a pair of objects that every idle connection holds).
 */
public final class Outbox {
    private final long capacity;
    private final long ephemeralLimit;
    private final ParleyMetrics metrics;
    private final Runnable onOverflow;
    private final TakingQueue queue = new TakingQueue();
    private final Sinks.Many<Object> sink = Sinks.unsafe().many().unicast().onBackpressureBuffer(queue);
    // field updaters rather than atomic objects: every open connection has an outbox
    private static final AtomicLongFieldUpdater<Outbox> QUEUED_BYTES =
            AtomicLongFieldUpdater.newUpdater(Outbox.class, "queuedBytes");
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<Outbox, Sinks.Empty> DRAINED =
            AtomicReferenceFieldUpdater.newUpdater(Outbox.class, Sinks.Empty.class, "drained");
    private static final AtomicIntegerFieldUpdater<Outbox> ENDED =
            AtomicIntegerFieldUpdater.newUpdater(Outbox.class, "ended");
    private volatile long queuedBytes;
    private volatile Sinks.Empty<Void> drained;
    private volatile int ended;
    private volatile boolean discarding;
    private volatile Function<Outgoing, ?> toWire = Function.identity();

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
        if (ended != 0) {
            metrics.frameDropped(DropReason.CLOSED);
            return false;
        }
        long queued = queuedBytes;
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
        QUEUED_BYTES.addAndGet(this, frame.size());
        // OK, or FAIL_TERMINATED/CANCELLED when the outbox ended or the writer went away meanwhile
        sink.tryEmitNext(frame);
        return true;
    }

    /** The frames to write, as they were queued; see {@link #frames(Function)}. */
    public Flux<Outgoing> frames() {
        return frames(Function.identity());
    }

    /**
     * The frames to write, for the transport's single writer, each turned into what the transport
     * writes when the writer takes it (on the writer's thread); a frame turned into {@code null} is
     * skipped. The stream completes once what was queued before {@link #end} is taken, or at once
     * when that end discards.
     */
    @SuppressWarnings("unchecked")
    public <W> Flux<W> frames(Function<Outgoing, W> toWire) {
        this.toWire = toWire;
        // not fuseable: fused with this queue, Reactor Netty's writer bounds what it takes per drain,
        // not in total, so a stalled peer's frames would all move into Netty's buffer and the outbox
        // would never overflow; unfused, it takes only what its demand allows (128 frames in flight)
        return (Flux<W>) sink.asFlux().hide();
    }

    /**
     * Ends the stream; frames offered later are dropped.
     *
     * @param discard drop what is still queued (a slow consumer resumes instead) rather than flush it
     * @return whether this call ended it (false if it had ended already)
     */
    public boolean end(boolean discard) {
        if (!ENDED.compareAndSet(this, 0, 1)) {
            return false;
        }
        discarding = discard;
        // wakes the writer even when nothing else is queued
        sink.tryEmitComplete();
        signalDrained();
        return true;
    }

    public boolean ended() {
        return ended != 0;
    }

    /** Completes when the buffer is at or below capacity (or the outbox ended). */
    public Mono<Void> whenWritable() {
        if (queuedBytes <= capacity || ended != 0) {
            return Mono.empty();
        }
        @SuppressWarnings("unchecked")
        Sinks.Empty<Void> waiter = DRAINED.updateAndGet(this, current -> current != null ? current : Sinks.empty());
        if (queuedBytes <= capacity || ended != 0) {
            signalDrained();
        }
        return waiter.asMono();
    }

    public long queuedBytes() {
        return queuedBytes;
    }

    private void taken(Outgoing frame) {
        long left = QUEUED_BYTES.addAndGet(this, -frame.size());
        if (left <= capacity && drained != null) {
            signalDrained();
        }
    }

    private void signalDrained() {
        @SuppressWarnings("unchecked")
        Sinks.Empty<Void> waiter = DRAINED.getAndSet(this, null);
        if (waiter != null) {
            // only fails when already completed by a racing signal: fine either way
            waiter.tryEmitEmpty();
        }
    }

    /**
     * The sink's queue. Offers are the producers' frames; a poll is the writer taking one: it
     * counts the frame out of the buffer and hands over its wire form. Once a discarding end is
     * marked it looks empty, so the stream completes without what was left.
     */
    private final class TakingQueue extends AbstractQueue<Object> {
        private final Queue<Outgoing> frames = Queues.<Outgoing>unboundedMultiproducer().get();

        @Override
        public boolean offer(Object frame) {
            return frames.offer((Outgoing) frame);
        }

        @Override
        public Object poll() {
            while (!discarding) {
                Outgoing frame = frames.poll();
                if (frame == null) {
                    return null;
                }
                taken(frame);
                Object wire = toWire.apply(frame);
                if (wire != null) {
                    return wire;
                }
            }
            frames.clear();
            return null;
        }

        @Override
        public Object peek() {
            return discarding ? null : frames.peek();
        }

        @Override
        public boolean isEmpty() {
            return discarding || frames.isEmpty();
        }

        @Override
        public int size() {
            return discarding ? 0 : frames.size();
        }

        /** Drops what is queued without turning it into wire objects (the stream was cancelled). */
        @Override
        public void clear() {
            frames.clear();
        }

        @Override
        public Iterator<Object> iterator() {
            throw new UnsupportedOperationException("the writer polls; nothing iterates");
        }
    }
}
