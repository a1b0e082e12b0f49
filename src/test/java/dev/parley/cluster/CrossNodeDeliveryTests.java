package dev.parley.cluster;

import dev.parley.stats.MeterNames;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ClusterNodes;
import dev.parley.support.ParleyApp;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

import static dev.parley.support.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/** Three nodes on one PostgreSQL and one Redis: a message stored through any node reaches every node's members. */
class CrossNodeDeliveryTests {
    private static final int PER_SENDER = 150;

    @RegisterExtension
    final ClusterNodes cluster = new ClusterNodes();

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    @Test
    void aMessageSentThroughOneNodeReachesMembersOnEveryNode() {
        List<ParleyApp> nodes = cluster.start(3);
        ChatClient alice = clients.welcomedGuest(nodes.get(0).port(), "x-alice");
        ChatClient bob = clients.welcomedGuest(nodes.get(1).port(), "x-bob");
        ChatClient carol = clients.welcomedGuest(nodes.get(2).port(), "x-carol");

        long seq = alice.call(frame("send", "room", "general", "text", "hello, cluster")).get("seq").asLong();

        for (ChatClient member : List.of(alice, bob, carol)) {
            JsonNode message = member.await(f -> "message".equals(f.path("type").asString())
                    && f.get("seq").asLong() == seq);
            assertThat(message.get("text").asString()).isEqualTo("hello, cluster");
            assertThat(message.get("from").asString()).isEqualTo("x-alice");
        }
        assertThat(nodes.get(0).bean(MeterRegistry.class).counter(MeterNames.BUS_MESSAGES, "direction", "out")
                .count()).isEqualTo(1);
        for (ParleyApp other : nodes.subList(1, 3)) {
            assertThat(other.bean(MeterRegistry.class).counter(MeterNames.BUS_MESSAGES, "direction", "in").count())
                    .isEqualTo(1);
        }
    }

    @Test
    void aRoomWrittenThroughThreeNodesAtOnceArrivesEverywhereOnceAndInOrder() {
        List<ParleyApp> nodes = cluster.start(3);
        List<ChatClient> senders = new ArrayList<>();
        List<ChatClient> readers = new ArrayList<>();
        long start = 0;
        for (int n = 0; n < 3; n++) {
            senders.add(clients.welcomedGuest(nodes.get(n).port(), "hot-sender-" + n));
            ChatClient reader = clients.guest(nodes.get(n).port(), "hot-reader-" + n);
            start = reader.welcome().get("rooms").get(0).get("seq").asLong();
            readers.add(reader);
        }

        // all three at once, pipelined: their nodes' writers interleave in the one counter of the room
        for (int i = 0; i < PER_SENDER; i++) {
            for (ChatClient sender : senders) {
                sender.send(frame("send", "room", "general", "text", "m" + i));
            }
        }

        int total = 3 * PER_SENDER;
        for (ChatClient reader : readers) {
            List<Long> seqs = new ArrayList<>();
            Set<String> texts = new HashSet<>();
            while (seqs.size() < total) {
                JsonNode message;
                try {
                    message = reader.expect("message");
                } catch (AssertionError e) {
                    StringBuilder why = new StringBuilder("reader " + readers.indexOf(reader) + " had " + seqs.size()
                            + " last " + (seqs.isEmpty() ? 0 : seqs.get(seqs.size() - 1)));
                    for (ChatClient sender : senders) {
                        why.append("; sender: ");
                        sender.drain().stream().filter(f -> !"message".equals(f.path("type").asString()))
                                .limit(5).forEach(f -> why.append(f).append(' '));
                    }
                    throw new AssertionError(why.toString(), e);
                }
                seqs.add(message.get("seq").asLong());
                texts.add(message.get("from").asString() + "/" + message.get("text").asString());
            }
            assertThat(seqs).as("every seq once, in order, on every node")
                    .containsExactlyElementsOf(LongStream.rangeClosed(start + 1, start + total).boxed().toList());
            assertThat(texts).hasSize(total);
        }
    }
}
