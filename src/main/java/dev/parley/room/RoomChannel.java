package dev.parley.room;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.publisher.Sinks.EmitResult;
import reactor.util.concurrent.Queues;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A room's live fan-out, in one lane per writer thread (a connection's event loop). Publishing
 * queues a message on each lane that has subscribers, and the lane's thread emits it to its own
 * connections: one cross-thread wake-up per batch of messages and event loop rather than one per
 * message and connection, and every write starts on the thread that owns the socket, so one
 * pass's frames are flushed together.
 *
 * <p>Each lane's sink is {@code directBestEffort}: it never buffers and never conforms to the
 * slowest subscriber; each subscriber (a connection's {@code RoomCursor}) requests unbounded and
 * applies its own bounded-buffer policy. Stored messages go to the lanes in seq order, each once:
 * they may be published out of order, twice, or with some missing (from several nodes), so one at or
 * below what went out is dropped and one ahead is held ({@value #HELD_MAX} at most) until the ones
 * before it come, from another node or from the store ({@link GapFiller}). A lane emits in queue
 * order, so every lane sees them in seq order. A lane whose
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
    /** Stored messages held while an earlier one is missing; past it the gap is given up (followers resume). */
    static final int HELD_MAX = 10_000;

    private final String name;
    private final String visibility;
    private final int backlogMax;
    private final Map<Executor, Lane> lanes = new ConcurrentHashMap<>();
    /** The highest seq known committed: where a new follower's live delivery starts; only ever moves forward. */
    private final AtomicLong lastSeq;
    /** The highest seq that went to the lanes: every seq up to it went, in order; guarded by this. */
    private long delivered;
    /** Stored messages above {@link #delivered} + 1, waiting for the ones before them; guarded by this. */
    private NavigableMap<Long, Delivery> held;
    private volatile boolean closed;

    public RoomChannel(String name, String visibility, long lastSeq) {
        this(name, visibility, lastSeq, BACKLOG_MAX);
    }

    RoomChannel(String name, String visibility, long lastSeq, int backlogMax) {
        this.name = name;
        this.visibility = visibility;
        this.lastSeq = new AtomicLong(lastSeq);
        this.delivered = lastSeq;
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
        return lastSeq.get();
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
        raiseLastSeq(seq);
    }

    /**
     * Hands a delivery to the room's followers: a notice or typing at once, a stored message in seq order.
     *
     * @return true when this message was held and opened a gap (nothing was held before it): whoever published it
     *         sees that the ones before it are found ({@link GapFiller})
     */
    public boolean publish(Delivery delivery) {
        if (!delivery.stored()) {
            toLanes(delivery);
            return false;
        }
        raiseLastSeq(delivery.seq());
        boolean opened = false;
        boolean overflow = false;
        synchronized (this) {
            long seq = delivery.seq();
            if (seq <= delivered) {
                // out already: a second copy (the store's and another node's), or a replay's
                return false;
            }
            if (seq == delivered + 1) {
                deliverInOrder(delivery);
            } else {
                if (held == null) {
                    held = new TreeMap<>();
                }
                opened = held.isEmpty();
                held.putIfAbsent(seq, delivery);
                overflow = held.size() > HELD_MAX;
            }
        }
        if (overflow) {
            log.warn("Room {}: {} messages wait for seq {}; its followers will resume", name, HELD_MAX, gapFrom());
            skipGap();
        }
        return opened;
    }

    /** The seq after which messages are missing while some are held, or -1 when none is missing. */
    public synchronized long gapFrom() {
        return held == null || held.isEmpty() ? -1 : delivered;
    }

    /** The highest seq that went out to the followers. */
    public synchronized long delivered() {
        return delivered;
    }

    /**
     * Gives a gap up: the held messages go out after it, and every follower sees the jump and is cut off to resume
     * from the store, which has what is missing here.
     */
    public void skipGap() {
        synchronized (this) {
            if (held == null || held.isEmpty()) {
                return;
            }
            delivered = held.firstKey() - 1;
            deliverInOrder(held.pollFirstEntry().getValue());
        }
    }

    /** Under this: sends a message whose seq is the next, then every held one that now follows. */
    private void deliverInOrder(Delivery next) {
        Delivery delivery = next;
        for (;;) {
            delivered = delivery.seq();
            toLanes(delivery);
            if (held == null || held.isEmpty() || held.firstKey() != delivered + 1) {
                return;
            }
            delivery = held.pollFirstEntry().getValue();
        }
    }

    private void raiseLastSeq(long seq) {
        // written by the writer, the bus and the gap filler
        lastSeq.accumulateAndGet(seq, Math::max);
    }

    private void toLanes(Delivery delivery) {
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
