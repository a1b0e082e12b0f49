package dev.parley.storage.postgres;

import dev.parley.support.Accounts;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.FaultyTcpProxy;
import dev.parley.support.ParleyTest;
import dev.parley.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.parley.support.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL goes away in the middle of a stream of sends (every connection to it dropped, new ones refused, as
 * in a restart) and comes back: sends meanwhile get a clear error, never a hang; health shows the database
 * down; the node recovers by itself; no acked message is lost. The database is reached through a proxy the
 * test cuts.
 */
@ParleyTest
class PostgresOutageTests {
    private static FaultyTcpProxy proxy;

    @LocalServerPort
    int port;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    @BeforeAll
    static void postgres() {
        TestPostgres.require();
    }

    @DynamicPropertySource
    static void throughTheProxy(DynamicPropertyRegistry registry) throws Exception {
        if (System.getenv(TestPostgres.URL_VARIABLE) == null) {
            return;
        }
        proxy = new FaultyTcpProxy(TestPostgres.address().getHost(), TestPostgres.address().getPort());
        TestPostgres.springPropertiesThrough(proxy.port()).forEach((name, value) -> registry.add(name, () -> value));
    }

    @AfterAll
    static void closeProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void sendsDuringAnOutageGetAClearErrorAndEveryAckedMessageSurvives() {
        ChatClient sender = clients.welcomedGuest(port, "outage-sender");
        List<Long> acked = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            acked.add(sender.call(frame("send", "room", "general", "text", "before " + i)).get("seq").asLong());
        }

        proxy.cut();
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // every call is answered within the client's bound: an error, or an ack if it was stored
            JsonNode reply = sender.call(frame("send", "room", "general", "text", "during " + i));
            if ("ack".equals(reply.get("type").asString())) {
                acked.add(reply.get("seq").asLong());
            } else {
                refused.add(reply.get("code").asString());
            }
        }
        assertThat(refused).as("sends while the database is away").isNotEmpty()
                .allMatch(code -> code.equals("internal") || code.equals("rate_limited"));
        await().atMost(Duration.ofSeconds(15)).until(() -> Accounts.http(port).get().uri("/actuator/health")
                .exchange().returnResult(String.class).getResponseBody().blockFirst().contains("\"db\":{\"status\":\"DOWN\""));

        proxy.restore();
        await().atMost(Duration.ofSeconds(30)).until(() -> "ack".equals(
                sender.call(frame("send", "room", "general", "text", "after")).get("type").asString()));
        for (int i = 0; i < 10; i++) {
            acked.add(sender.call(frame("send", "room", "general", "text", "after " + i)).get("seq").asLong());
        }

        // a newcomer replays the room: every acked message is there
        ChatClient reader = clients.welcomedGuest(port, "outage-reader");
        reader.send(Map.of("type", "resume", "after", Map.of("general", 0), "id", "r"));
        List<Long> stored = new ArrayList<>();
        JsonNode frame;
        while (!"resumed".equals((frame = reader.next()).path("type").asString())) {
            if ("message".equals(frame.path("type").asString())) {
                stored.add(frame.get("seq").asLong());
            }
        }
        assertThat(stored).containsAll(acked).isSorted().doesNotHaveDuplicates();
    }
}
