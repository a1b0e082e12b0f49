package dev.parley.room;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.publisher.Sinks.EmitResult;
import reactor.util.concurrent.Queues;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A room's live fan-out, in one lane per writer thread (a connection's event loop). Publishing
 * queues a message on each lane that has subscribers, and the lane's thread emits it to its own
 * connections: one cross-thread wake-up per batch of messages and event loop rather than one per
 * message and connection, and every write starts on the thread that owns the socket, so one
 * pass's frames are flushed together.
 *
 * <p>Each lane's sink is {@code directBestEffort}: it never buffers and never conforms to the
 * slowest subscriber; each subscriber (a connection's {@code RoomCursor}) requests unbounded and
 * applies its own bounded-buffer policy. Messages are published by the store's writer thread in
 * seq order and a lane emits in queue order, so every lane sees them in seq order. A lane whose
 * thread falls more than {@code backlogMax} messages behind skips the next ones: its followers see
 * the gap at the next message that gets through and are cut off to resume from the store, so
 * nothing is lost and the backlog stays bounded. Ephemeral frames come from any thread.
 */
public final class RoomChannel {
    private static final Logger log = LoggerFactory.getLogger(RoomChannel.class);

    /** Deliveries a lane may have queued for its thread; far beyond any healthy event loop's lag. */
    static final int BACKLOG_MAX = 65_536;
    /** Deliveries a lane emits per task before it lets its event loop do other work. */
    private static final int BATCH = 256;

    private final String name;
    private final String visibility;
    private final int backlogMax;
    private final Map<Executor, Lane> lanes = new ConcurrentHashMap<>();
    private volatile long lastSeq;
    private volatile boolean closed;

    public RoomChannel(String name, String visibility, long lastSeq) {
        this(name, visibility, lastSeq, BACKLOG_MAX);
    }

    RoomChannel(String name, String visibility, long lastSeq, int backlogMax) {
        this.name = name;
        this.visibility = visibility;
        this.lastSeq = lastSeq;
        this.backlogMax = backlogMax;
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
            // a lane opened as the room closed ends with it
            lane.close();
        }
        return lane.sink.asFlux();
    }

    public int subscribers() {
        int count = 0;
        for (Lane lane : lanes.values()) {
            count += lane.sink.currentSubscriberCount();
        }
        return count;
    }

    /**
     * A message of this seq is committed: from now on the room's seq shows it, to whoever follows the room
     * next. Call before anyone can learn the seq (its ack); its delivery follows with {@link #publish}, and a
     * follower that starts in between skips it as already covered.
     */
    public void committed(long seq) {
        lastSeq = seq;
    }

    public void publish(Delivery delivery) {
        if (delivery.stored()) {
            lastSeq = delivery.seq();
        }
        for (Lane lane : lanes.values()) {
            // nobody connected through this thread: nothing to hand over, the log has it
            if (lane.sink.currentSubscriberCount() > 0) {
                lane.offer(delivery);
            }
        }
    }

    /** Ends the fan-out (room deleted): each lane completes its subscribers after what it has queued. */
    public void close() {
        closed = true;
        lanes.values().forEach(Lane::close);
    }

    /** The subscribers whose connections one thread writes, and what is queued for that thread. */
    private final class Lane implements Runnable {
        private final Executor writer;
        private final Sinks.Many<Delivery> sink = Sinks.many().multicast().directBestEffort();
        private final Queue<Delivery> queue = Queues.<Delivery>unboundedMultiproducer().get();
        private final AtomicInteger backlog = new AtomicInteger();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private volatile boolean ending;
        private volatile boolean behind;

        Lane(Executor writer) {
            this.writer = writer;
        }

        void offer(Delivery delivery) {
            if (backlog.get() >= backlogMax) {
                if (!behind) {
                    behind = true;
                    log.warn("Room {}: an event loop is {} messages behind; its connections will resume", name,
                            backlogMax);
                }
                return;
            }
            if (behind) {
                behind = false;
            }
            backlog.incrementAndGet();
            queue.offer(delivery);
            schedule();
        }

        void close() {
            ending = true;
            schedule();
        }

        private void schedule() {
            if (scheduled.compareAndSet(false, true)) {
                try {
                    writer.execute(this);
                } catch (RejectedExecutionException stopped) {
                    // the event loop is stopping with its connections: they resume elsewhere
                    queue.clear();
                    backlog.set(0);
                    scheduled.set(false);
                }
            }
        }

        /** Emits a batch on the lane's thread; reschedules itself while more is queued. */
        @Override
        public void run() {
            for (int i = 0; i < BATCH; i++) {
                Delivery delivery = queue.poll();
                if (delivery == null) {
                    break;
                }
                backlog.decrementAndGet();
                emit(delivery);
            }
            if (ending && queue.isEmpty()) {
                // FAIL_TERMINATED when completed twice: fine
                sink.tryEmitComplete();
            }
            scheduled.set(false);
            if (!queue.isEmpty()) {
                schedule();
            }
        }

        private void emit(Delivery delivery) {
            for (;;) {
                EmitResult result = sink.tryEmitNext(delivery);
                switch (result) {
                    // the last subscriber of this lane left meanwhile, or the room closed: the log has it
                    case OK, FAIL_ZERO_SUBSCRIBER, FAIL_TERMINATED -> {
                        return;
                    }
                    case FAIL_NON_SERIALIZED -> {
                        if (delivery.ephemeral()) {
                            // only where the writer runs tasks on the caller (tests): a typing frame meets a
                            // message's emit; ephemeral, so dropped
                            return;
                        }
                        // a message meets a short typing emit: spin bare (BlockHound counts onSpinWait)
                    }
                    default -> {
                        log.warn("Room {} could not publish: {}", name, result);
                        return;
                    }
                }
            }
        }
    }
}
