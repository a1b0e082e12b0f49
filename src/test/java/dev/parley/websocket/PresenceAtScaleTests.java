package dev.parley.websocket;

import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Beyond {@code broadcast-max} online users presence is no longer pushed to everyone: a
 * connection hears only about the users it names in {@code presence_sub}, and the
 * welcome's {@code online} list is capped while {@code onlineCount} stays exact.
 */
@ParleyTest
@TestPropertySource(properties = "parley.presence.broadcast-max=2")
class PresenceAtScaleTests {
    @LocalServerPort
    int port;
    @RegisterExtension
    final ChatClients clients = new ChatClients();

    /** A guest past its welcome. */
    private ChatClient online(String name) {
        return clients.welcomedGuest(port, name);
    }

    /** Frames up to a pong: everything the server queued for this client before it. */
    private static List<JsonNode> framesBeforePong(ChatClient client, String id) {
        client.send(Map.of("type", "ping", "id", id));
        List<JsonNode> frames = new ArrayList<>();
        JsonNode frame;
        while (!"pong".equals((frame = client.next()).path("type").asString())) {
            frames.add(frame);
        }
        return frames;
    }

    @Test
    void pastBroadcastMaxOnlyWatchedUsersAreReported() {
        ChatClient watcher = online("watcher");
        online("second");
        ChatClient third = clients.guest(port, "third");
        JsonNode welcome = third.welcome();
        assertThat(welcome.get("online")).hasSize(2);
        assertThat(welcome.get("onlineCount").asInt()).isEqualTo(3);

        watcher.send(Map.of("type", "presence_sub", "users", List.of("Watched")));
        framesBeforePong(watcher, "subscribed");
        online("unwatched");
        online("watched");

        List<JsonNode> heard = framesBeforePong(watcher, "after");
        assertThat(heard).filteredOn(f -> "presence".equals(f.path("type").asString()))
                .extracting(f -> f.get("user").asString())
                .containsExactly("watched");
    }
}
