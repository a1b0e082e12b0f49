package dev.parley.bench.report;

import dev.parley.bench.report.Results.IngestPoint;
import dev.parley.bench.report.Results.LoadPoint;
import dev.parley.bench.report.Results.MemoryPoint;
import dev.parley.bench.report.Results.Target;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The performance targets, each with what this run measured and whether it holds. */
final class TargetsTable {

    private static final int MEMORY_LEVEL = 20_000;
    private static final double MEMORY_GOAL_KB = 8;
    private static final double S3_LOAD = 10_000;
    private static final double S3_P99_GOAL_MS = 5;
    private static final double INGEST_GOAL = 20_000;
    private static final double HOT_ROOM_GOAL = 10_000;
    private static final double STALL_TOLERANCE = 0.20;

    private TargetsTable() {
    }

    static List<String> rows(Target baseline, Target parley, List<Target> otherParleys) {
        List<String> rows = new ArrayList<>();
        rows.add("| target | goal | measured | holds |");
        rows.add("| --- | --- | --- | --- |");
        if (parley == null) {
            return rows;
        }
        MemoryPoint memory = parley.idle() == null ? null : parley.idle().stream()
                .filter(p -> p.connections() <= MEMORY_LEVEL).max(Comparator.comparingInt(MemoryPoint::connections))
                .orElse(null);
        rows.add(memory == null ? "| memory per idle connection | ≤ 8 KB at 20k | not measured | – |"
                : String.format(Locale.ROOT, "| memory per idle connection | ≤ %.0f KB at 20k | %.1f KB at %,d | %s |",
                MEMORY_GOAL_KB, memory.perConnection() / 1024, memory.connections(),
                verdict(memory.perConnection() / 1024 <= MEMORY_GOAL_KB)));
        rows.add(cpuRow(baseline, parley));
        otherParleys.forEach(other -> rows.add(cpuRow(baseline, other)));
        LoadPoint s3 = parley.manyRooms() == null ? null : parley.manyRooms().stream()
                .filter(p -> p.offeredDeliveries() >= S3_LOAD).findFirst().orElse(null);
        rows.add(s3 == null ? "| S3 p99, rooms of 10, 10k deliveries/s | ≤ 5 ms | not measured"
                + (parley.manyRoomsUnsupported() == null ? "" : ": " + parley.manyRoomsUnsupported()) + " | – |"
                : String.format(Locale.ROOT, "| S3 p99, rooms of 10, 10k deliveries/s | ≤ %.0f ms | %.2f ms | %s |",
                S3_P99_GOAL_MS, s3.p99(), verdict(s3.p99() <= S3_P99_GOAL_MS)));
        rows.add(ingestRow(parley, false));
        rows.add(ingestRow(parley, true));
        for (Target other : otherParleys) {
            if (other.ingest() != null && !other.ingest().isEmpty()) {
                rows.add(ingestRow(other, false));
                rows.add(ingestRow(other, true));
            }
        }
        if (parley.stalled() != null && parley.stalled().referenceP99() > 0) {
            double change = parley.stalled().others().p99() / parley.stalled().referenceP99() - 1;
            rows.add(String.format(Locale.ROOT, "| S5 others' p99 with one stalled reader | within 20%% of S2 | %+.0f%% (%.2f against %.2f ms) | %s |",
                    100 * change, parley.stalled().others().p99(), parley.stalled().referenceP99(),
                    verdict(change <= STALL_TOLERANCE)));
        }
        rows.add(parley.hold() == null ? "| 50,000 connections held 10 minutes | no error | not run in this run | – |"
                : String.format(Locale.ROOT, "| 50,000 connections held 10 minutes | no error | %,d held %d s: %d failures, %d closes, %d errors | %s |",
                parley.hold().held(), parley.hold().seconds(), parley.hold().failures(), parley.hold().closes(),
                parley.hold().errors(), verdict(parley.hold().held() >= 50_000 && parley.hold().failures() == 0
                        && parley.hold().closes() == 0 && parley.hold().errors() == 0)));
        return rows;
    }

    /** S4 over many rooms or into one hot room: the best of the publisher counts against its goal. */
    private static String ingestRow(Target parley, boolean hotRoom) {
        List<IngestPoint> points = parley.ingest() == null ? List.of()
                : parley.ingest().stream().filter(p -> p.hotRoom() == hotRoom).toList();
        double goal = hotRoom ? HOT_ROOM_GOAL : INGEST_GOAL;
        String what = (hotRoom ? "S4 durable ingest, one hot room, " : "S4 durable ingest, many rooms, ") + parley.name();
        if (points.isEmpty()) {
            return "| " + what + " | ≥ " + String.format(Locale.ROOT, "%,.0f", goal) + " acked/s | not measured | – |";
        }
        IngestPoint best = points.stream().max(Comparator.comparingDouble(IngestPoint::ackedPerSecond)).orElseThrow();
        return String.format(Locale.ROOT, "| %s | ≥ %,.0f acked/s | %,.0f acked/s, ack p99 %.2f ms (best of %s publishers) | %s |",
                what, goal, best.ackedPerSecond(), best.ackP99(), points.stream()
                        .map(p -> Integer.toString(p.publishers())).reduce((a, b) -> a + ", " + b).orElse("–"),
                verdict(best.ackedPerSecond() >= goal));
    }

    /**
     * S2: at every offered rate both servers carried (95% delivered), a Parley build's CPU per delivery
     * against the baseline's.
     */
    private static String cpuRow(Target baseline, Target parley) {
        if (baseline == null || baseline.oneRoom() == null || parley.oneRoom() == null) {
            return "| S2 server CPU per delivery, " + parley.name() + " | ≤ baseline | not measured | – |";
        }
        List<String> ratios = new ArrayList<>();
        boolean holds = true;
        for (LoadPoint b : baseline.oneRoom()) {
            LoadPoint p = parley.oneRoom().stream().filter(q -> q.offeredMessages() == b.offeredMessages())
                    .findFirst().orElse(null);
            if (!carried(b)) {
                continue;
            }
            if (p == null || !carried(p)) {
                ratios.add(String.format(Locale.ROOT, "%.0fk: not carried", b.offeredDeliveries() / 1000));
                holds = false;
                continue;
            }
            double ratio = p.serverCpuMicrosPerDelivery() / b.serverCpuMicrosPerDelivery();
            ratios.add(String.format(Locale.ROOT, "%.0fk: %.2f", b.offeredDeliveries() / 1000, ratio));
            holds &= ratio <= 1;
        }
        if (ratios.isEmpty()) {
            return "| S2 server CPU per delivery, " + parley.name() + " | ≤ baseline | no step both carried | – |";
        }
        return "| S2 server CPU per delivery, " + parley.name() + " | ≤ baseline | " + parley.name()
                + " / baseline at " + String.join(", ", ratios) + " deliveries/s | " + verdict(holds) + " |";
    }

    private static boolean carried(LoadPoint point) {
        return point.serverCpuMicrosPerDelivery() > 0 && point.delivered() >= 0.95 * point.offeredDeliveries();
    }

    private static String verdict(boolean holds) {
        return holds ? "yes" : "**no**";
    }
}
