package dev.parley;

import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;

import static dev.parley.support.Frames.entry;
import static dev.parley.support.Frames.frame;
import static dev.parley.support.Frames.listed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A restart changes nothing for registered members: rooms, memberships, invitations and waiting messages are stored. */
class RoomDurabilityTests {
    @TempDir
    Path dataDir;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    private ParleyApp start() {
        return ParleyApp.start(dataDir, new Class<?>[0], "--parley.rooms.empty-grace=200ms");
    }

    private ChatClient user(int port, String name) {
        return clients.welcomedUser(port, name);
    }

    @Test
    void roomsMembershipsInvitationsAndWaitingMessagesSurviveARestart() {
        try (ParleyApp first = start()) {
            int port = first.port();
            user(port, "dd-carol").close();
            user(port, "dd-dora").close();
            ChatClient alice = user(port, "dd-alice");
            ChatClient bob = user(port, "dd-bob");
            ChatClient guest = clients.welcomedGuest(port, "dd-guest");
            alice.call(frame("create", "room", "Kept-1", "visibility", "private"));
            alice.call(frame("invite", "room", "Kept-1", "user", "dd-carol"));
            alice.call(frame("send", "room", "Kept-1", "text", "k1"));
            alice.call(frame("create", "room", "Open-1"));
            bob.call(frame("join", "room", "Open-1"));
            alice.call(frame("dm", "to", "dd-dora", "text", "waiting for you"));
            guest.call(frame("create", "room", "Guesty-1"));
            clients.afterEach(null);
        }

        try (ParleyApp second = start()) {
            int port = second.port();
            JsonNode alice = clients.user(port, "dd-alice").welcome().get("rooms");
            assertThat(alice.valueStream().map(r -> r.get("room").asString()))
                    .containsExactly("general", "@dd-alice+dd-dora", "Kept-1", "Open-1");
            assertThat(entry(alice, "Kept-1").orElseThrow().get("seq").asLong()).isEqualTo(1);
            assertThat(entry(alice, "Kept-1").orElseThrow().get("visibility").asString()).isEqualTo("private");

            JsonNode dora = clients.user(port, "dd-dora").welcome().get("rooms");
            assertThat(entry(dora, "@dd-alice+dd-dora").orElseThrow().get("unread").asLong()).isEqualTo(1);

            ChatClient bob = user(port, "dd-bob");
            assertThat(listed(bob, "Open-1").orElseThrow().get("present").asBoolean()).isTrue();
            assertThat(listed(bob, "Open-1").orElseThrow().get("members").asInt()).isEqualTo(2);

            ChatClient carol = user(port, "dd-carol");
            assertThat(listed(carol, "Kept-1")).as("still invited").isPresent();
            assertThat(carol.call(frame("join", "room", "Kept-1")).get("type").asString()).isEqualTo("joined");
            assertThat(carol.call(frame("history", "room", "Kept-1")).get("messages").get(0).get("text").asString())
                    .isEqualTo("k1");
            assertThat(carol.call(frame("send", "room", "Kept-1", "text", "k2")).get("seq").asLong()).isEqualTo(2);

            // its guest is gone with the old process: the room had nobody left, and goes after its grace
            await().atMost(ChatClient.TIMEOUT).until(() -> listed(bob, "Guesty-1").isEmpty());
        }
    }
}
