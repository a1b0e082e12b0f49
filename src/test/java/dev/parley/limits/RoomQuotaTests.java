package dev.parley.limits;

import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;

import static dev.parley.support.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rooms are capped per creator and per address, so that one address cannot flood the server with rooms
 * under many guest nicknames; a deleted room gives its place back.
 */
@ParleyTest
@TestPropertySource(properties = {"parley.abuse.rooms-per-user=2", "parley.abuse.rooms-per-address=3",
        "parley.rooms.empty-grace=200ms"})
class RoomQuotaTests {
    @LocalServerPort
    int port;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    private static String type(JsonNode reply) {
        return reply.get("type").asString();
    }

    @Test
    void guestsOfOneAddressShareItsRoomCapAndADeletedRoomGivesItsPlaceBack() {
        ChatClient first = clients.welcomedGuest(port, "rq-first");
        assertThat(type(first.call(frame("create", "room", "rq-a1")))).isEqualTo("ack");
        assertThat(type(first.call(frame("create", "room", "rq-a2")))).isEqualTo("ack");
        JsonNode overUser = first.call(frame("create", "room", "rq-a3"));
        assertThat(overUser.get("code").asString()).isEqualTo("rate_limited");
        assertThat(overUser.get("message").asString()).contains("2 rooms");

        ChatClient second = clients.welcomedGuest(port, "rq-second");
        for (int i = 0; i < 3; i++) {
            assertThat(second.call(frame("create", "room", "rq-a1")).get("code").asString())
                    .as("a room that could not be created takes no place").isEqualTo("room_exists");
        }
        assertThat(type(second.call(frame("create", "room", "rq-b1")))).isEqualTo("ack");
        ChatClient third = clients.welcomedGuest(port, "rq-third");
        JsonNode overAddress = third.call(frame("create", "room", "rq-c1"));
        assertThat(overAddress.get("code").asString()).isEqualTo("rate_limited");
        assertThat(overAddress.get("message").asString()).contains("your address");
        assertThat(overAddress.get("retryAfterMs").asLong()).isPositive();

        // the first guest goes: its empty rooms are deleted after the grace, and their places come back
        first.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> "ack".equals(type(third.call(frame("create", "room", "rq-c1")))));
    }
}
