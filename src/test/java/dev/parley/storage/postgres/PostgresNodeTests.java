package dev.parley.storage.postgres;

import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyTest;
import dev.parley.support.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static dev.parley.support.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One node on PostgreSQL (its schema made by the node at start): the chat's main paths over real sockets,
 * as on the embedded store. Skipped, loudly, where no PostgreSQL server is given (CI always gives one).
 */
@ParleyTest
class PostgresNodeTests {
    @LocalServerPort
    int port;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    @BeforeAll
    static void postgres() {
        TestPostgres.require();
    }

    @DynamicPropertySource
    static void onPostgres(DynamicPropertyRegistry registry) {
        TestPostgres.springProperties().forEach((name, value) -> registry.add(name, () -> value));
    }

    @Test
    void messagesAreStoredAckedDeliveredAndReplayedInSeqOrder() {
        ChatClient alice = clients.welcomedUser(port, "pg-alice");
        ChatClient bob = clients.welcomedGuest(port, "pg-bob");
        long start = alice.call(frame("send", "room", "general", "text", "first")).get("seq").asLong();
        for (int i = 1; i < 50; i++) {
            assertThat(alice.call(frame("send", "room", "general", "text", "m" + i)).get("seq").asLong())
                    .isEqualTo(start + i);
        }
        List<Long> delivered = new ArrayList<>();
        while (delivered.size() < 50) {
            JsonNode message = bob.expect("message");
            delivered.add(message.get("seq").asLong());
        }
        assertThat(delivered).containsExactlyElementsOf(LongStream.range(start, start + 50).boxed().toList());

        JsonNode history = bob.call(frame("history", "room", "general", "limit", 10));
        assertThat(history.get("messages").get(9).get("seq").asLong()).isEqualTo(start + 49);

        ChatClient returning = clients.welcomedGuest(port, "pg-returning");
        returning.send(frame("resume", "after", Map.of("general", start + 39), "id", "r"));
        List<Long> replayed = new ArrayList<>();
        JsonNode frame;
        while (!"resumed".equals((frame = returning.next()).path("type").asString())) {
            if ("message".equals(frame.path("type").asString())) {
                replayed.add(frame.get("seq").asLong());
            }
        }
        assertThat(replayed).containsExactlyElementsOf(LongStream.range(start + 40, start + 50).boxed().toList());
    }

    @Test
    void roomsConversationsAndUnreadCountsWorkAsOnTheEmbeddedStore() {
        ChatClient carol = clients.welcomedUser(port, "pg-carol");
        assertThat(carol.call(frame("create", "room", "pg-room")).get("type").asString()).isEqualTo("ack");
        ChatClient dave = clients.welcomedUser(port, "pg-dave");
        assertThat(dave.call(frame("join", "room", "pg-room")).get("type").asString()).isEqualTo("joined");
        JsonNode dm = carol.call(frame("dm", "to", "pg-dave", "text", "psst"));
        assertThat(dm.get("room").asString()).isEqualTo("@pg-carol+pg-dave");
        assertThat(dm.get("seq").asLong()).isEqualTo(1);
        dave.close();

        carol.call(frame("send", "room", "pg-room", "text", "while you were away"));
        carol.call(frame("dm", "to", "pg-dave", "text", "and here"));
        ChatClient back = clients.user(port, "pg-dave");
        Map<String, Long> unread = new HashMap<>();
        back.welcome().get("rooms").forEach(room -> unread.put(room.get("room").asString(), room.get("unread").asLong()));
        assertThat(unread).containsEntry("pg-room", 1L).containsEntry("@pg-carol+pg-dave", 2L);

        assertThat(carol.call(frame("leave", "room", "pg-room")).get("type").asString()).isEqualTo("left");
    }
}
