package dev.parley.websocket;

import dev.parley.presence.PresenceRegistry;
import dev.parley.stats.CloseReason;
import dev.parley.stats.ParleyMetrics;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.Frames;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import io.netty.channel.ChannelOption;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fan-out never waits for its slowest member: a client that stops reading (its TCP
 * window fills) is cut off with 4000 while everyone else gets every message in order,
 * and after reconnecting with {@code resume} it has every message exactly once.
 */
@ParleyTest
@TestPropertySource(properties = {
        "parley.outbound.buffer-size=512KB",
        "parley.outbound.ephemeral-limit=8KB",
        "parley.outbound.close-timeout=30s",
        "parley.resume.max=100000"})
class SlowConsumerTests {
    private static final int MESSAGES = 5000;
    private static final String PADDING = " ".repeat(10) + "x".repeat(300);
    /** Messages sent before the readers must have them: about 80 KB, a sixth of the buffer. */
    private static final int CHUNK = 250;

    @LocalServerPort
    int port;
    @Autowired
    ParleyMetrics metrics;
    @Autowired
    PresenceRegistry presence;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    private ChatClient track(ChatClient client) {
        return clients.track(client);
    }

    private String userQuery(String name) {
        return clients.userQuery(port, name);
    }

    @Test
    void stalledReaderIsCutOffWithoutDelayingOthersAndResumesWithNothingLostOrTwice() {
        ChatClient publisher = track(ChatClient.connect(port, "nickname=publisher"));
        publisher.welcome();
        List<ChatClient> readers = new ArrayList<>();
        List<Long> readerSeqs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ChatClient reader = track(ChatClient.connect(port, "nickname=reader" + i));
            readerSeqs.add(seqOf(reader.welcome()));
            readers.add(reader);
        }
        ChatClient stalled = track(ChatClient.open(port, "nickname=stalled", false, 4096, true));
        long stalledStart = seqOf(stalled.welcome());
        stalled.pauseReading();
        double slowBefore = metrics.connectionsClosed(CloseReason.SLOW);

        // everyone else: every message, in order, each within the client's bounded wait. The
        // publisher goes on only when the readers have a chunk, so no reader's backlog comes near
        // the buffer however the machine schedules the test's threads; the stalled one's grows.
        List<Long> readerLast = new ArrayList<>(readerSeqs);
        for (int sent = 0; sent < MESSAGES; sent += CHUNK) {
            for (int i = sent; i < sent + CHUNK; i++) {
                publisher.send(Map.of("type", "send", "room", "general", "text", "m" + i + PADDING));
            }
            for (int r = 0; r < readers.size(); r++) {
                long last = readerLast.get(r);
                for (int i = 0; i < CHUNK; i++) {
                    JsonNode message = readers.get(r).expect("message");
                    assertThat(message.get("seq").asLong()).isEqualTo(++last);
                }
                readerLast.set(r, last);
            }
        }
        assertThat(publisher.isClosed()).isFalse();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> metrics.connectionsClosed(CloseReason.SLOW) > slowBefore);

        stalled.resumeReading();
        assertThat(stalled.closeStatus().code()).isEqualTo(4000);
        List<Long> firstVisit = seqs(stalled.drain());
        assertThat(firstVisit).as("what arrived before the cut-off is a gap-free prefix")
                .containsExactlyElementsOf(LongStream.rangeClosed(stalledStart + 1, stalledStart + firstVisit.size())
                        .boxed().toList());
        assertThat(firstVisit).hasSizeLessThan(MESSAGES);

        await().atMost(ChatClient.TIMEOUT).until(() -> !presence.isOnline("stalled"));
        ChatClient again = track(ChatClient.connect(port, "nickname=stalled"));
        again.welcome();
        long lastSeen = firstVisit.isEmpty() ? stalledStart : firstVisit.get(firstVisit.size() - 1);
        again.send(Map.of("type", "resume", "after", Map.of("general", lastSeen), "id", "r1"));

        List<Long> replayed = new ArrayList<>();
        JsonNode frame;
        while (!"resumed".equals((frame = again.next()).path("type").asString())) {
            if ("message".equals(frame.path("type").asString())) {
                replayed.add(frame.get("seq").asLong());
            }
        }
        List<Long> everything = new ArrayList<>(firstVisit);
        everything.addAll(replayed);
        assertThat(everything).containsExactlyElementsOf(
                LongStream.rangeClosed(stalledStart + 1, stalledStart + MESSAGES).boxed().toList());
        JsonNode general = frame.get("rooms").get("general");
        assertThat(general.get("seq").asLong()).isEqualTo(stalledStart + MESSAGES);
        assertThat(general.get("truncated").asBoolean()).isFalse();
    }

    /**
     * A connection in several rooms has one outbound buffer for all of them: messages of three
     * rooms, each far below the buffer's size but together beyond it, cut a stalled member off,
     * and a {@code resume} of the three rooms brings back every message once. Sent in chunks
     * of 80 rounds (240 messages), as in the test above.
     */
    @Test
    void aMemberOfManyRoomsHasOneBufferForAllOfThem() {
        int perRoom = 800;
        List<String> rooms = List.of("Many-1", "Many-2", "Many-3");
        ChatClient publisher = track(ChatClient.connect(port, userQuery("mr-publisher")));
        publisher.welcome();
        ChatClient reader = track(ChatClient.connect(port, userQuery("mr-reader")));
        reader.welcome();
        ChatClient stalled = track(ChatClient.open(port, userQuery("mr-stalled"), false, 4096, true));
        stalled.welcome();
        for (String room : rooms) {
            publisher.call(Frames.frame("create", "room", room));
            reader.call(Frames.frame("join", "room", room));
            stalled.call(Frames.frame("join", "room", room));
        }
        stalled.pauseReading();

        Map<String, Long> last = new HashMap<>();
        int roundsPerChunk = 80;
        for (int sent = 0; sent < perRoom; sent += roundsPerChunk) {
            for (int i = sent; i < sent + roundsPerChunk; i++) {
                for (String room : rooms) {
                    publisher.send(Map.of("type", "send", "room", room, "text", "m" + i + PADDING));
                }
            }
            for (int i = 0; i < roundsPerChunk * rooms.size(); i++) {
                JsonNode message = reader.expect("message");
                long previous = last.getOrDefault(message.get("room").asString(), 0L);
                assertThat(message.get("seq").asLong()).isEqualTo(previous + 1);
                last.put(message.get("room").asString(), previous + 1);
            }
        }
        stalled.resumeReading();
        assertThat(stalled.closeStatus().code()).as("one buffer overflowed, though no room alone fills it")
                .isEqualTo(4000);
        Map<String, List<Long>> received = new HashMap<>();
        stalled.drain().stream().filter(f -> "message".equals(f.path("type").asString())).forEach(f ->
                received.computeIfAbsent(f.get("room").asString(), r -> new ArrayList<>()).add(f.get("seq").asLong()));

        ChatClient again = track(ChatClient.connect(port, userQuery("mr-stalled")));
        again.welcome();
        Map<String, Long> after = new LinkedHashMap<>();
        rooms.forEach(room -> {
            List<Long> seqs = received.getOrDefault(room, List.of());
            after.put(room, seqs.isEmpty() ? 0L : seqs.get(seqs.size() - 1));
        });
        again.send(Map.of("type", "resume", "after", after, "id", "r-many"));
        JsonNode frame;
        while (!"resumed".equals((frame = again.next()).path("type").asString())) {
            if ("message".equals(frame.path("type").asString())) {
                received.computeIfAbsent(frame.get("room").asString(), r -> new ArrayList<>())
                        .add(frame.get("seq").asLong());
            }
        }
        for (String room : rooms) {
            assertThat(received.get(room)).as(room)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, perRoom).boxed().toList());
        }
    }

    /** Small server socket buffers, so a stalled peer backs up into the outbox after a few KB, not megabytes. */
    @TestConfiguration
    static class SmallSocketBuffers {
        @Bean
        NettyServerCustomizer smallSendBuffer() {
            return server -> server.childOption(ChannelOption.SO_SNDBUF, 16 * 1024);
        }
    }

    private static long seqOf(JsonNode welcome) {
        return welcome.get("rooms").get(0).get("seq").asLong();
    }

    private static List<Long> seqs(List<JsonNode> frames) {
        return frames.stream().filter(f -> "message".equals(f.path("type").asString()))
                .map(f -> f.get("seq").asLong()).toList();
    }
}
