package dev.parley.bench.scenario;

import dev.parley.bench.load.Tally;
import dev.parley.bench.server.ProcessStats;
import dev.parley.bench.server.ServerProcess;
import org.HdrHistogram.Histogram;

/**
 * One measurement window: server CPU (from {@code /proc}), the generator's own CPU, and what the
 * generator counted, between {@link #open} and {@link #close}.
 */
final class Window {

    private final ServerProcess server;
    private final Tally tally;
    private final long startNanos;
    private final ProcessStats.Cpu serverStart;
    private final ProcessStats.Cpu generatorStart;
    private final long messagesStart;
    private final long acksStart;
    private final long errorsStart;
    private final long closesStart;
    private final long stolenStart;

    private Window(ServerProcess server, Tally tally) {
        this.server = server;
        this.tally = tally;
        tally.takeDeliveryLatency();
        tally.takeAckLatency();
        this.messagesStart = tally.messages.sum();
        this.acksStart = tally.acks.sum();
        this.errorsStart = tally.errors();
        this.closesStart = tally.closes.sum();
        this.serverStart = server.cpu();
        this.generatorStart = ProcessStats.cpu(ProcessHandle.current().pid());
        this.stolenStart = ProcessStats.stolenNanos();
        this.startNanos = System.nanoTime();
    }

    static Window open(ServerProcess server, Tally tally) {
        return new Window(server, tally);
    }

    Closed close() {
        long elapsed = System.nanoTime() - startNanos;
        ProcessStats.Cpu serverCpu = server.cpu().minus(serverStart);
        ProcessStats.Cpu generatorCpu = ProcessStats.cpu(ProcessHandle.current().pid()).minus(generatorStart);
        // the machine's CPUs together: steal of one CPU out of two for the whole window is 50%
        double stealPercent = 100.0 * (ProcessStats.stolenNanos() - stolenStart)
                / ((double) elapsed * ProcessStats.machineCpus());
        return new Closed(elapsed / 1e9, serverCpu, generatorCpu, stealPercent,
                tally.messages.sum() - messagesStart, tally.acks.sum() - acksStart,
                tally.errors() - errorsStart, tally.closes.sum() - closesStart,
                tally.takeDeliveryLatency(), tally.takeAckLatency());
    }

    record Closed(double seconds, ProcessStats.Cpu serverCpu, ProcessStats.Cpu generatorCpu, double stealPercent,
                  long messages, long acks, long errors, long closes, Histogram delivery, Histogram ack) {

        double serverCpuPercent() {
            return 100.0 * serverCpu.totalNanos() / 1e9 / seconds;
        }

        double generatorCpuPercent() {
            return 100.0 * generatorCpu.totalNanos() / 1e9 / seconds;
        }

        double serverSystemShare() {
            long total = serverCpu.totalNanos();
            return total == 0 ? 0 : (double) serverCpu.systemNanos() / total;
        }

        static double millis(Histogram histogram, double percentile) {
            return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1e6;
        }
    }
}
