package dev.parley.bench.scenario;

import dev.parley.bench.load.LoadClient;
import dev.parley.bench.load.LoadConnection;
import dev.parley.bench.report.Results.LoadPoint;
import dev.parley.bench.server.ServerProcess;

import dev.parley.bench.load.Tally;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * One step of offered load after another, each warmed up, then measured; the ramp stops at the first
 * step the server cannot keep up with (less than 95% delivered, or p99 above a second). A step during which
 * the hypervisor stole more than {@value #STEAL_LIMIT_PERCENT}% of the machine's CPU is measured again.
 */
final class Ramp {
    /** Steal above this share of the machine's CPUs during a step makes it measured again. */
    static final double STEAL_LIMIT_PERCENT = 3;
    /** Measured again at most this often; the step with the least steal is kept. */
    static final int STEAL_RETRIES = 2;

    private final ServerProcess server;
    private final LoadClient client;
    private final Duration warmup;
    private final Duration measure;

    Ramp(ServerProcess server, LoadClient client, int warmupSeconds, int measureSeconds) {
        this.server = server;
        this.client = client;
        this.warmup = Duration.ofSeconds(warmupSeconds);
        this.measure = Duration.ofSeconds(measureSeconds);
    }

    /** @param fanOut deliveries per message (the room's size, the sender included) */
    List<LoadPoint> run(List<LoadConnection> publishers, List<String> rooms, List<Double> messageRates, int fanOut,
                        String label) {
        List<LoadPoint> points = new ArrayList<>();
        if (!warmup.isZero()) {
            // the set-up (thousands of connections and rooms in a few seconds) left their state young, and the
            // collection that first copies it is a one-off pause of 50-90 ms in whichever step it falls; settle it
            // first, as on a server whose connections have been open a while (both servers alike)
            server.collectGarbage();
            // the first seconds of a fan-out run the interpreter and C1 code; warm the path up first, unrecorded
            step(publishers, rooms, messageRates.get(messageRates.size() / 2), fanOut, warmup.multipliedBy(3));
        }
        for (double rate : messageRates) {
            LoadPoint point = step(publishers, rooms, rate, fanOut);
            for (int again = 0; again < STEAL_RETRIES && point.stealPercent() > STEAL_LIMIT_PERCENT; again++) {
                // the hypervisor took CPU from this machine during the step: it measured a slower machine
                System.out.printf("  %s %s %,.0f deliveries/s: %.1f%% steal, measuring the step again%n", label,
                        server.name(), point.offeredDeliveries(), point.stealPercent());
                LoadPoint retried = step(publishers, rooms, rate, fanOut);
                if (retried.stealPercent() < point.stealPercent()) {
                    point = retried;
                }
            }
            points.add(point);
            System.out.printf("  %s %s %,.0f deliveries/s offered: %,.0f delivered/s, p50 %.2f ms, p99 %.2f ms, "
                            + "server %.2f µs/delivery (%.0f%% CPU), generator %.0f%% CPU, steal %.1f%%%n", label,
                    server.name(), point.offeredDeliveries(), point.delivered(), point.p50(), point.p99(),
                    point.serverCpuMicrosPerDelivery(), point.serverCpuPercent(), point.generatorCpuPercent(),
                    point.stealPercent());
            if (point.delivered() < 0.95 * point.offeredDeliveries() || point.p99() > 1_000) {
                break;
            }
        }
        return points;
    }

    LoadPoint step(List<LoadConnection> publishers, List<String> rooms, double rate, int fanOut) {
        return step(publishers, rooms, rate, fanOut, measure);
    }

    private LoadPoint step(List<LoadConnection> publishers, List<String> rooms, double rate, int fanOut,
                           Duration length) {
        Pacer pacer = new Pacer(client.loop(), publishers, rooms, rate);
        pacer.start();
        Waits.sleep(warmup);
        client.tally().takeLate();
        Window window = Window.open(server, client.tally());
        Waits.sleep(length);
        Window.Closed closed = window.close();
        pacer.stop();
        if (Tally.tracingLate()) {
            printLateBursts(client.tally().takeLate());
        }
        Waits.quiet(client.tally(), Duration.ofMillis(500), Duration.ofSeconds(30));
        return point(rate, rate * fanOut, closed);
    }

    /** Runs of consecutive 10 ms slots with late deliveries, as wall-clock UTC times and counts. */
    private static void printLateBursts(SortedMap<Long, Long> late) {
        long start = -1;
        long last = -1;
        long count = 0;
        for (Map.Entry<Long, Long> slot : late.entrySet()) {
            if (start >= 0 && slot.getKey() > last + 1) {
                printBurst(start, last, count);
                start = -1;
            }
            if (start < 0) {
                start = slot.getKey();
                count = 0;
            }
            last = slot.getKey();
            count += slot.getValue();
        }
        if (start >= 0) {
            printBurst(start, last, count);
        }
    }

    private static void printBurst(long firstSlot, long lastSlot, long count) {
        System.out.printf("    late %s to %s: %,d%n", Instant.ofEpochMilli(firstSlot * 10),
                Instant.ofEpochMilli(lastSlot * 10 + 9), count);
    }

    static LoadPoint point(double offeredMessages, double offeredDeliveries, Window.Closed closed) {
        double microsPerDelivery = closed.messages() == 0 ? 0
                : closed.serverCpu().totalNanos() / 1e3 / closed.messages();
        return new LoadPoint(offeredMessages, offeredDeliveries, closed.messages() / closed.seconds(),
                Window.Closed.millis(closed.delivery(), 50), Window.Closed.millis(closed.delivery(), 99),
                Window.Closed.millis(closed.delivery(), 99.9), closed.delivery().getMaxValue() / 1e6,
                microsPerDelivery, closed.serverSystemShare(), closed.serverCpuPercent(),
                closed.generatorCpuPercent(), closed.errors(), closed.closes(), closed.stealPercent());
    }
}
