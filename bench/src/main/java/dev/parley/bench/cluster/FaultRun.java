package dev.parley.bench.cluster;

import dev.parley.bench.report.ClusterResults.FaultEvent;
import dev.parley.bench.report.ClusterResults.FaultResult;
import dev.parley.bench.scenario.Waits;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * C3: faults under load. Registered users on every node read {@code general} while some of them write into it
 * at a steady rate; then one node is killed ({@code kill -9}) and its clients resume on the others, and later
 * Redis is restarted. After each fault the run measures how long until every client had every message acked
 * so far, and at the end it counts, per client, every acked message it never received (lost), every one it
 * received twice (duplicated), and live messages out of seq order.
 */
final class FaultRun {

    private static final Duration WHOLE_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration REDIS_DOWN = Duration.ofSeconds(5);

    private final ClusterStack stack;
    private final BitSet acked = new BitSet();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final List<ResumingClient> clients = new ArrayList<>();
    private final List<FaultEvent> events = new ArrayList<>();

    private FaultRun(ClusterStack stack) {
        this.stack = stack;
    }

    static FaultResult run(ClusterStack stack, int clientsPerNode, int publishersPerNode, double ratePerPublisher,
                           Duration phase) {
        return new FaultRun(stack).measure(clientsPerNode, publishersPerNode, ratePerPublisher, phase);
    }

    private FaultResult measure(int clientsPerNode, int publishersPerNode, double ratePerPublisher, Duration phase) {
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            List<InetSocketAddress> nodes = stack.addresses();
            List<ResumingClient> publishers = new ArrayList<>();
            List<CompletableFuture<Void>> welcomed = new ArrayList<>();
            for (int n = 0; n < nodes.size(); n++) {
                for (int i = 0; i < clientsPerNode; i++) {
                    String token = SignUp.token(http, nodes.get(n), "fault" + n + "u" + i);
                    ResumingClient client = new ResumingClient(token, nodes, n, http, timer, this::acked);
                    clients.add(client);
                    if (i < publishersPerNode) {
                        publishers.add(client);
                    }
                    welcomed.add(client.start());
                }
            }
            Waits.await(CompletableFuture.allOf(welcomed.toArray(CompletableFuture[]::new)), Duration.ofMinutes(1));
            System.out.printf("  C3 %d clients on %d nodes, %d writing %.0f messages/s in all%n", clients.size(),
                    nodes.size(), publishers.size(), publishers.size() * ratePerPublisher);
            ScheduledFuture<?> pacing = timer.scheduleAtFixedRate(() -> {
                for (ResumingClient publisher : publishers) {
                    long k = attempts.incrementAndGet();
                    if (publisher.send("fault message " + k, "m" + k)) {
                        sent.incrementAndGet();
                    }
                }
            }, 0, (long) (1_000_000 / ratePerPublisher), TimeUnit.MICROSECONDS);

            Waits.sleep(phase);
            stack.nodes().get(1).kill();
            untilWhole("kill -9 of " + stack.nodes().get(1).name());
            Waits.sleep(phase);
            stack.restartRedis(REDIS_DOWN);
            untilWhole("Redis restarted after " + REDIS_DOWN.toSeconds() + " s down");
            Waits.sleep(phase);
            pacing.cancel(false);
            awaitAcksSettled();
            untilWhole("end of the run");
            return result(publishers.size(), publishers.size() * ratePerPublisher);
        } finally {
            clients.forEach(ResumingClient::stop);
            timer.shutdownNow();
        }
    }

    private void acked(long seq) {
        synchronized (acked) {
            acked.set((int) seq);
        }
    }

    private BitSet ackedSoFar() {
        synchronized (acked) {
            return (BitSet) acked.clone();
        }
    }

    /** Waits until every client has every message up to the newest acked one; records how long that took. */
    private void untilWhole(String what) {
        BitSet ackedNow = ackedSoFar();
        long target = ackedNow.length() - 1;
        long start = System.nanoTime();
        double seconds = -1;
        while (System.nanoTime() - start < WHOLE_TIMEOUT.toNanos()) {
            if (clients.stream().allMatch(c -> c.contiguous() >= target)) {
                seconds = (System.nanoTime() - start) / 1e9;
                break;
            }
            Waits.sleep(Duration.ofMillis(20));
        }
        events.add(new FaultEvent(what, seconds, ackedNow.cardinality()));
        System.out.printf("  C3 %s: every client whole %s%n", what,
                seconds < 0 ? "NOT within " + WHOLE_TIMEOUT.toSeconds() + " s" : String.format("after %.2f s", seconds));
    }

    /** The acks of the last sends are on their way: waits until none has come for a second. */
    private void awaitAcksSettled() {
        long last = -1;
        for (int i = 0; i < 50; i++) {
            long now = ackedSoFar().cardinality();
            if (now == last) {
                return;
            }
            last = now;
            Waits.sleep(Duration.ofSeconds(1));
        }
    }

    private FaultResult result(int publishers, double rate) {
        BitSet ackedAll = ackedSoFar();
        long last = ackedAll.length() - 1;
        BitSet storedUnacked = new BitSet();
        long delivered = 0;
        long lost = 0;
        long duplicated = 0;
        long outOfOrder = 0;
        int reconnects = 0;
        for (ResumingClient client : clients) {
            BitSet seen = client.seen();
            delivered += seen.cardinality();
            storedUnacked.or(seen);
            lost += client.missing(ackedAll, last);
            duplicated += client.duplicates();
            outOfOrder += client.outOfOrder();
            reconnects += client.reconnects();
        }
        storedUnacked.andNot(ackedAll);
        long skipped = attempts.get() - sent.get();
        String note = skipped == 0 ? "" : String.format("%,d sends were not made: their writer was between "
                + "connections (a real client keeps them for later; this one drops them).", skipped);
        FaultResult result = new FaultResult(clients.size(), publishers, rate, sent.get(), ackedAll.cardinality(),
                storedUnacked.cardinality(), delivered, lost, duplicated, outOfOrder, reconnects, events, note);
        System.out.printf("  C3 sent %,d, acked %,d, stored without ack %d, delivered %,d, lost %d, duplicated %d, "
                        + "out of order %d, reconnects %d%n", result.sent(), result.acked(), result.storedUnacked(),
                result.delivered(), lost, duplicated, outOfOrder, reconnects);
        return result;
    }
}
