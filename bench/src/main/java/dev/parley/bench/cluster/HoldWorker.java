package dev.parley.bench.cluster;

import dev.parley.bench.load.LoadClient;
import dev.parley.bench.load.LoadConnection;
import dev.parley.bench.load.Tally;
import dev.parley.bench.scenario.Waits;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One process of the generator for {@link ClusterHold}: a process has only so many file descriptors, so the
 * 50,000 connections come from several. Opens its share of connections, spread evenly over the nodes, and talks
 * to its parent in lines: it prints {@code OPEN <welcomed per node...> <failed> [first failure]} once they are
 * open, {@code HOLD <open> <closed> <error frames>} when asked {@code status}, and closes everything at {@code close}.
 *
 * <pre>java -cp parley-bench.jar dev.parley.bench.cluster.HoldWorker PREFIX COUNT HOST:PORT[,HOST:PORT...]</pre>
 */
public final class HoldWorker {

    private HoldWorker() {
    }

    public static void main(String[] args) throws Exception {
        String prefix = args[0];
        int count = Integer.parseInt(args[1]);
        List<InetSocketAddress> nodes = new ArrayList<>();
        for (String node : args[2].split(",")) {
            nodes.add(new InetSocketAddress(node.substring(0, node.lastIndexOf(':')),
                    Integer.parseInt(node.substring(node.lastIndexOf(':') + 1))));
        }
        try (LoadClient client = new LoadClient(nodes.get(0), "/ws")) {
            List<Tally> tallies = new ArrayList<>();
            List<CompletableFuture<List<LoadConnection>>> opening = new ArrayList<>();
            for (int n = 0; n < nodes.size(); n++) {
                Tally tally = new Tally();
                tallies.add(tally);
                int share = count / nodes.size() + (n < count % nodes.size() ? 1 : 0);
                String name = prefix + "n" + n + "x";
                opening.add(client.open(share, i -> name + i, 128 / nodes.size() + 1, nodes.get(n), tally));
            }
            List<LoadConnection> open = new ArrayList<>();
            StringBuilder line = new StringBuilder("OPEN");
            for (CompletableFuture<List<LoadConnection>> node : opening) {
                List<LoadConnection> welcomed = Waits.await(node, Duration.ofMinutes(10));
                open.addAll(welcomed);
                line.append(' ').append(welcomed.size());
            }
            long failed = tallies.stream().mapToLong(t -> t.connectFailures.sum()).sum();
            line.append(' ').append(failed);
            tallies.stream().map(Tally::firstFailure).filter(f -> f != null).findFirst()
                    .ifPresent(f -> line.append(' ').append(f.replace('\n', ' ')));
            System.out.println(line);
            System.out.flush();
            long closedBefore = tallies.stream().mapToLong(t -> t.closes.sum()).sum();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String command = in.readLine(); command != null && !command.equals("close"); command = in.readLine()) {
                long closed = tallies.stream().mapToLong(t -> t.closes.sum()).sum() - closedBefore;
                long errors = tallies.stream().mapToLong(Tally::errors).sum();
                System.out.println("HOLD " + open.stream().filter(c -> c.channel().isActive()).count() + " " + closed
                        + " " + errors);
                System.out.flush();
            }
            Waits.closeAll(open);
            System.out.println("DONE");
        }
    }
}
