package dev.parley.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The counters and timers of the chat, created once and shared (each is lock-free).
 * Gauges live in {@link ParleyGauges}. Also feeds the per-second rates of {@link LiveRates}.
 */
@Component
public class ParleyMetrics {
    private final Counter opened;
    private final Map<CloseReason, Counter> closed = new EnumMap<>(CloseReason.class);
    private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
    private final Map<Limit, Counter> refused = new EnumMap<>(Limit.class);
    private final Counter received;
    private final Counter stored;
    private final Counter delivered;
    private final Counter presenceDeliveries;
    private final Counter gapsFilled;
    private final Counter drained;
    private final Counter busOut;
    private final Counter busIn;
    private final Counter reaped;
    private final Timer deliveryLatency;
    private final Timer commit;
    private final DistributionSummary batchSize;
    private final LiveRates rates;

    public ParleyMetrics(MeterRegistry registry, LiveRates rates) {
        this.rates = rates;
        opened = Counter.builder(MeterNames.CONNECTIONS_OPENED).description("Connections opened").register(registry);
        for (CloseReason reason : CloseReason.values()) {
            closed.put(reason, Counter.builder(MeterNames.CONNECTIONS_CLOSED).tag("reason", reason.tag())
                    .description("Connections closed, by reason").register(registry));
        }
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason, Counter.builder(MeterNames.FRAMES_DROPPED).tag("reason", reason.tag())
                    .description("Outbound frames dropped, by reason").register(registry));
        }
        for (Limit limit : Limit.values()) {
            refused.put(limit, Counter.builder(MeterNames.LIMITS_REFUSED).tag("limit", limit.tag())
                    .description("Refused by an abuse limit, by limit").register(registry));
        }
        received = Counter.builder(MeterNames.MESSAGES_RECEIVED).description("Messages received").register(registry);
        stored = Counter.builder(MeterNames.MESSAGES_STORED).description("Messages stored").register(registry);
        delivered = Counter.builder(MeterNames.MESSAGES_DELIVERED)
                .description("Message frames handed to sockets").register(registry);
        busOut = Counter.builder(MeterNames.BUS_MESSAGES).tag("direction", "out")
                .description("Messages published to the other nodes, or heard from them").register(registry);
        busIn = Counter.builder(MeterNames.BUS_MESSAGES).tag("direction", "in")
                .description("Messages published to the other nodes, or heard from them").register(registry);
        reaped = Counter.builder(MeterNames.NODES_REAPED)
                .description("Nodes this node reaped after they stopped beating").register(registry);
        drained = Counter.builder(MeterNames.DRAINED)
                .description("Connections closed with 1001 by this node's drain at shutdown").register(registry);
        gapsFilled = Counter.builder(MeterNames.GAPS_FILLED)
                .description("Messages a room was missing and read from the store").register(registry);
        presenceDeliveries = Counter.builder(MeterNames.PRESENCE_DELIVERIES)
                .description("Presence events handed to connections").register(registry);
        deliveryLatency = Timer.builder(MeterNames.DELIVERY_LATENCY)
                .description("Commit of a message to its hand-over to a recipient's socket")
                .publishPercentileHistogram().register(registry);
        commit = Timer.builder(MeterNames.STORE_COMMIT).description("One store transaction")
                .publishPercentileHistogram().register(registry);
        batchSize = DistributionSummary.builder(MeterNames.STORE_BATCH_SIZE)
                .description("Messages per store transaction").register(registry);
    }

    public void connectionOpened() {
        opened.increment();
    }

    public void connectionClosed(CloseReason reason) {
        closed.get(reason).increment();
        if (reason == CloseReason.SLOW) {
            rates.slowConsumerDisconnected();
        }
    }

    public double connectionsClosed(CloseReason reason) {
        return closed.get(reason).count();
    }

    public void frameDropped(DropReason reason) {
        dropped.get(reason).increment();
    }

    public double framesDropped(DropReason reason) {
        return dropped.get(reason).count();
    }

    public void refused(Limit limit) {
        refused.get(limit).increment();
    }

    public double refusals(Limit limit) {
        return refused.get(limit).count();
    }

    public void messageReceived() {
        received.increment();
    }

    public void batchCommitted(int messages, long nanos) {
        stored.increment(messages);
        batchSize.record(messages);
        commit.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void messageDelivered(long committedAtNanos) {
        delivered.increment();
        rates.delivered();
        // 0: no commit time known, nothing to time
        if (committedAtNanos != 0) {
            deliveryLatency.record(System.nanoTime() - committedAtNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** One presence event was handed to this many connections. */
    public void busPublished() {
        busOut.increment();
    }

    public void busHeard() {
        busIn.increment();
    }

    public void nodeReaped() {
        reaped.increment();
    }

    public void drained(int connections) {
        drained.increment(connections);
    }

    public void gapFilled(long messages) {
        if (messages > 0) {
            gapsFilled.increment(messages);
        }
    }

    public void presenceDelivered(int connections) {
        presenceDeliveries.increment(connections);
    }

    public double presenceDeliveries() {
        return presenceDeliveries.count();
    }

    public double messagesStored() {
        return stored.count();
    }
}
