package dev.parley.bench.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, read from {@code /proc}. */
public final class ProcessStats {

    /** Linux reports CPU times in clock ticks; 100 per second on every mainstream kernel. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcessStats() {
    }

    /** CPU time spent so far, user and system, in nanoseconds (10 ms resolution). */
    public record Cpu(long userNanos, long systemNanos) {
        public long totalNanos() {
            return userNanos + systemNanos;
        }

        public Cpu minus(Cpu earlier) {
            return new Cpu(userNanos - earlier.userNanos, systemNanos - earlier.systemNanos);
        }
    }

    public static Cpu cpu(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        // the command name (field 2) may hold spaces; the numeric fields start after its closing parenthesis
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new Cpu(Long.parseLong(fields[11]) * NANOS_PER_TICK, Long.parseLong(fields[12]) * NANOS_PER_TICK);
    }

    /**
     * CPU time the hypervisor gave to other guests while this machine's CPUs wanted it ("steal"), summed over
     * all CPUs, in nanoseconds; 0 where the kernel does not report it. A window with steal measured a slower
     * machine than its neighbours did.
     */
    public static long stolenNanos() {
        String first = read(Path.of("/proc/stat")).lines().findFirst().orElse("");
        String[] fields = first.trim().split("\\s+");
        // "cpu user nice system idle iowait irq softirq steal ..."
        return fields.length > 8 && fields[0].equals("cpu") ? Long.parseLong(fields[8]) * NANOS_PER_TICK : 0;
    }

    /** The machine's CPUs, whatever this process is pinned to. */
    public static int machineCpus() {
        return (int) Math.max(1, read(Path.of("/proc/stat")).lines().filter(l -> l.matches("cpu[0-9]+ .*")).count());
    }

    /** Resident set size in bytes. */
    public static long rss(long pid) {
        for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    /** The soft limit on open files of a process. */
    public static long openFilesLimit(long pid) {
        for (String line : read(Path.of("/proc", Long.toString(pid), "limits")).split("\n")) {
            if (line.startsWith("Max open files")) {
                return Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[0]);
            }
        }
        return Long.MAX_VALUE;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
