package dev.parley.cluster;

import dev.parley.presence.PresenceRegistry;
import dev.parley.stats.MeterNames;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ClusterNodes;
import dev.parley.support.FaultyTcpProxy;
import dev.parley.support.ParleyApp;
import dev.parley.support.ParleyProcess;
import dev.parley.support.PrivateRedis;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

import static dev.parley.support.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the cluster promises when a part fails: a lossy bus, a node killed, Redis away. Nothing acked is lost. */
class ClusterFaultTests {
    private static final Logger log = LoggerFactory.getLogger(ClusterFaultTests.class);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final ClusterNodes cluster = new ClusterNodes();

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    @Test
    void aBusThatLosesDelaysAndReordersLosesAndRepeatsNothing() {
        List<ParleyApp> nodes = cluster.startWith(new Class<?>[] {FaultyBus.class}, 3,
                "--parley.cluster.reconcile-interval=300ms");
        List<ChatClient> senders = new ArrayList<>();
        List<ChatClient> readers = new ArrayList<>();
        long start = 0;
        for (int n = 0; n < 3; n++) {
            senders.add(clients.welcomedGuest(nodes.get(n).port(), "lossy-sender-" + n));
            ChatClient reader = clients.guest(nodes.get(n).port(), "lossy-reader-" + n);
            start = reader.welcome().get("rooms").get(0).get("seq").asLong();
            readers.add(reader);
        }

        for (int i = 0; i < 100; i++) {
            for (ChatClient sender : senders) {
                sender.send(frame("send", "room", "general", "text", "m" + i));
            }
        }

        for (ChatClient reader : readers) {
            assertThat(messageSeqs(reader, 300)).as("every seq once, in order, whatever the bus lost")
                    .containsExactlyElementsOf(LongStream.rangeClosed(start + 1, start + 300).boxed().toList());
        }
        double filled = nodes.stream().mapToDouble(node -> node.bean(MeterRegistry.class)
                .counter(MeterNames.GAPS_FILLED).count()).sum();
        assertThat(filled).as("what the bus lost came from the store").isPositive();
    }

    @Test
    void aNodeKilledUnderLoadLosesNothingAckedItsClientsResumeElsewhereAndItsUsersGoOffline() throws Exception {
        ParleyApp survivor = cluster.start(1, "--parley.cluster.node-timeout=5s").get(0);
        ParleyProcess doomed = cluster.startProcess("--parley.cluster.node-timeout=5s");
        ChatClient watcher = clients.welcomedGuest(survivor.port(), "kill-watcher");
        ChatClient sender = clients.welcomedGuest(doomed.port(), "kill-sender");
        ChatClient reader = clients.guest(doomed.port(), "kill-reader");
        long start = reader.welcome().get("rooms").get(0).get("seq").asLong();
        watcher.await(f -> isPresence(f, "kill-sender", true));
        sender.call(frame("create", "room", "kill-room"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "joined".equals(watcher.call(frame("join", "room", "kill-room")).path("type").asString()));

        for (int i = 0; i < 400; i++) {
            sender.send(frame("send", "room", "general", "text", "k" + i, "id", "k" + i));
        }
        Set<Long> acked = new HashSet<>();
        while (acked.size() < 100) {
            JsonNode ack = sender.expect("ack");
            acked.add(ack.get("seq").asLong());
        }
        long killed = System.nanoTime();
        doomed.kill();
        sender.drain().stream().filter(f -> "ack".equals(f.path("type").asString()))
                .forEach(ack -> acked.add(ack.get("seq").asLong()));
        List<Long> seen = new ArrayList<>();
        reader.drain().stream().filter(f -> "message".equals(f.path("type").asString()))
                .forEach(message -> seen.add(message.get("seq").asLong()));

        // its users go offline, and its guests leave their rooms (in either order)
        boolean[] offlineAndLeft = new boolean[2];
        watcher.await(f -> {
            offlineAndLeft[0] |= isPresence(f, "kill-sender", false);
            offlineAndLeft[1] |= "left".equals(f.path("type").asString())
                    && "kill-sender".equals(f.path("user").asString()) && "kill-room".equals(f.path("room").asString());
            return offlineAndLeft[0] && offlineAndLeft[1];
        });
        // the survivor reaps it (its users may go offline a moment earlier, at a snapshot that finds it silent)
        await().atMost(Duration.ofSeconds(20))
                .until(() -> survivor.bean(MeterRegistry.class).counter(MeterNames.NODES_REAPED).count() >= 1);
        log.info("kill -9: reaped {} ms after the kill (node-timeout 5 s); {} messages acked before it",
                Duration.ofNanos(System.nanoTime() - killed).toMillis(), acked.size());
        long resumeAfter = seen.isEmpty() ? start : seen.get(seen.size() - 1);
        ChatClient resumed = clients.welcomedGuest(survivor.port(), "kill-reader");
        resumed.send(frame("resume", "after", Map.of("general", resumeAfter), "id", "r"));
        JsonNode frame;
        while (!"resumed".equals((frame = resumed.next()).path("type").asString())) {
            if ("message".equals(frame.path("type").asString())) {
                seen.add(frame.get("seq").asLong());
            }
        }
        assertThat(seen).as("the reader saw every seq once, in order, across the two nodes")
                .isEqualTo(LongStream.rangeClosed(start + 1, start + seen.size()).boxed().toList());
        assertThat(seen).as("nothing acked was lost").containsAll(acked);
    }

    @Test
    void whileRedisIsAwayMessagesAreAckedAndServedLocallyAndEveryoneHasThemSoonAfterItIsBack() throws Exception {
        FaultyTcpProxy redis = cluster.redisThroughProxy();
        List<ParleyApp> nodes = cluster.start(2);
        ChatClient sender = clients.welcomedGuest(nodes.get(0).port(), "away-sender");
        ChatClient local = clients.guest(nodes.get(0).port(), "away-local");
        ChatClient remote = clients.guest(nodes.get(1).port(), "away-remote");
        long start = local.welcome().get("rooms").get(0).get("seq").asLong();
        remote.welcome();
        ChatClient owner = clients.welcomedGuest(nodes.get(0).port(), "away-owner");
        ChatClient member = clients.welcomedGuest(nodes.get(1).port(), "away-member");
        owner.call(frame("create", "room", "away-room"));
        assertThat(member.call(frame("join", "room", "away-room")).get("type").asString()).isEqualTo("joined");
        owner.expect("joined");

        redis.cut();
        // room changes while Redis is away: announced to nobody, made up for from the store when it is back
        owner.call(frame("leave", "room", "away-room"));
        owner.call(frame("create", "room", "away-new"));
        for (int i = 0; i < 50; i++) {
            assertThat(sender.call(frame("send", "room", "general", "text", "a" + i)).get("type").asString())
                    .as("acked while Redis is away").isEqualTo("ack");
        }
        List<Long> expected = LongStream.rangeClosed(start + 1, start + 50).boxed().toList();
        assertThat(messageSeqs(local, 50)).as("this node's clients have them at once").isEqualTo(expected);

        long restored = System.nanoTime();
        redis.restore();
        assertThat(messageSeqs(remote, 50)).as("the other node's, once Redis is back").isEqualTo(expected);
        Duration caughtUp = Duration.ofNanos(System.nanoTime() - restored);
        log.info("Redis away: the other node's client had all 50 messages {} ms after Redis was back", caughtUp.toMillis());
        assertThat(caughtUp).as("the contract's bound").isLessThan(Duration.ofSeconds(10));
        JsonNode left = member.await(f -> "left".equals(f.path("type").asString()));
        log.info("Redis away: a leave made meanwhile reached the other node {} ms after Redis was back",
                Duration.ofNanos(System.nanoTime() - restored).toMillis());
        assertThat(left.get("user").asString()).isEqualTo("away-owner");
        await().atMost(WAIT).until(() -> member.call(frame("rooms")).get("rooms").toString().contains("away-new"));
    }

    @Test
    void aRedisRestartedUnderLoadLosesNothingAndTheNodesWriteTheirSharesBack() throws Exception {
        PrivateRedis redis = cluster.privateRedis();
        List<ParleyApp> nodes = cluster.start(2);
        ChatClient sender = clients.welcomedGuest(nodes.get(0).port(), "restart-sender");
        ChatClient remote = clients.guest(nodes.get(1).port(), "restart-remote");
        long start = remote.welcome().get("rooms").get(0).get("seq").asLong();

        for (int i = 0; i < 200; i++) {
            sender.send(frame("send", "room", "general", "text", "r" + i, "id", "r" + i));
            if (i == 100) {
                redis.restart();
            }
        }
        long restarted = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            assertThat(sender.expect("ack").has("seq")).as("every send acked, Redis or not").isTrue();
        }
        assertThat(messageSeqs(remote, 200)).as("the other node's client has every one, in order, once")
                .isEqualTo(LongStream.rangeClosed(start + 1, start + 200).boxed().toList());
        Duration caughtUp = Duration.ofNanos(System.nanoTime() - restarted);
        log.info("Redis restarted: the other node's client had all 200 messages {} ms after the restart", caughtUp.toMillis());
        assertThat(caughtUp).as("the contract's bound").isLessThan(Duration.ofSeconds(10));

        // the restarted Redis was empty: each node wrote its beat and its share back, so a node joining now learns them
        ParleyApp late = cluster.start(1).get(0);
        await().atMost(WAIT).until(() -> late.bean(PresenceRegistry.class).cluster().nodes() == 3);
        JsonNode welcome = clients.guest(late.port(), "restart-late").welcome();
        assertThat(welcome.get("online").toString()).contains("restart-sender", "restart-remote");
    }

    /** The next {@code count} message seqs, in the order they came; each within the client's timeout. */
    private static List<Long> messageSeqs(ChatClient reader, int count) {
        List<Long> seqs = new ArrayList<>();
        while (seqs.size() < count) {
            seqs.add(reader.expect("message").get("seq").asLong());
        }
        return seqs;
    }

    private static boolean isPresence(JsonNode frame, String user, boolean online) {
        return "presence".equals(frame.path("type").asString()) && user.equals(frame.path("user").asString())
                && frame.path("online").asBoolean() == online;
    }
}
