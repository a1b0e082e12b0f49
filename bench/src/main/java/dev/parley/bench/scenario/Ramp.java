package dev.parley.bench.scenario;

import dev.parley.bench.load.LoadClient;
import dev.parley.bench.load.LoadConnection;
import dev.parley.bench.report.Results.LoadPoint;
import dev.parley.bench.server.ServerProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One step of offered load after another, each warmed up, then measured; the ramp stops at the first
 * step the server cannot keep up with (less than 95% delivered, or p99 above a second).
 */
final class Ramp {

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
            // the first seconds of a fan-out run the interpreter and C1 code; warm the path up first, unrecorded
            step(publishers, rooms, messageRates.get(messageRates.size() / 2), fanOut, warmup.multipliedBy(3));
        }
        for (double rate : messageRates) {
            LoadPoint point = step(publishers, rooms, rate, fanOut);
            points.add(point);
            System.out.printf("  %s %s %,.0f deliveries/s offered: %,.0f delivered/s, p50 %.2f ms, p99 %.2f ms, "
                            + "server %.2f µs/delivery (%.0f%% CPU), generator %.0f%% CPU%n", label, server.name(),
                    point.offeredDeliveries(), point.delivered(), point.p50(), point.p99(),
                    point.serverCpuMicrosPerDelivery(), point.serverCpuPercent(), point.generatorCpuPercent());
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
        Window window = Window.open(server, client.tally());
        Waits.sleep(length);
        Window.Closed closed = window.close();
        pacer.stop();
        Waits.quiet(client.tally(), Duration.ofMillis(500), Duration.ofSeconds(30));
        return point(rate, rate * fanOut, closed);
    }

    static LoadPoint point(double offeredMessages, double offeredDeliveries, Window.Closed closed) {
        double microsPerDelivery = closed.messages() == 0 ? 0
                : closed.serverCpu().totalNanos() / 1e3 / closed.messages();
        return new LoadPoint(offeredMessages, offeredDeliveries, closed.messages() / closed.seconds(),
                Window.Closed.millis(closed.delivery(), 50), Window.Closed.millis(closed.delivery(), 99),
                Window.Closed.millis(closed.delivery(), 99.9), closed.delivery().getMaxValue() / 1e6,
                microsPerDelivery, closed.serverSystemShare(), closed.serverCpuPercent(),
                closed.generatorCpuPercent(), closed.errors(), closed.closes());
    }
}
