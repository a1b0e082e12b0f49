package dev.parley.websocket;

import dev.parley.support.Accounts;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static dev.parley.support.Frames.code;
import static dev.parley.support.Frames.entry;
import static dev.parley.support.Frames.frame;
import static dev.parley.support.Frames.framesUntilPong;
import static dev.parley.support.Frames.listed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only members read a private room or a conversation: every read path, tried by a registered
 * user who is not a member and by a guest, gets nothing of it.
 */
@ParleyTest
class RoomAccessTests {
    @LocalServerPort
    int port;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    private ChatClient user(String name) {
        return clients.welcomedUser(port, name);
    }

    /** A private room ("private") or a conversation ("conversation") with one message in it. */
    private String privateRoomWithAMessage(String kind) {
        ChatClient owner = user("ac-owner-" + kind);
        ChatClient friend = user("ac-friend-" + kind);
        if ("conversation".equals(kind)) {
            return owner.call(frame("dm", "to", "ac-friend-" + kind, "text", "secret")).get("room").asString();
        }
        String room = "Closed-" + kind;
        owner.call(frame("create", "room", room, "visibility", "private"));
        owner.call(frame("invite", "room", room, "user", "ac-friend-" + kind));
        friend.call(frame("join", "room", room));
        owner.call(frame("send", "room", room, "text", "secret"));
        return room;
    }

    @ParameterizedTest
    @ValueSource(strings = {"private", "conversation"})
    void aNonMemberReadsNothingOfAPrivateRoomThroughAnyDoor(String kind) {
        ChatClient outsider = user("ac-outsider-" + kind);
        ChatClient guest = clients.welcomedGuest(port, "ac-guest-" + kind);
        String room = privateRoomWithAMessage(kind);
        ChatClient owner = user("ac-owner-" + kind);

        for (ChatClient stranger : List.of(outsider, guest)) {
            // history, resume, typing, read, send: refused
            assertThat(code(stranger.call(frame("history", "room", room)))).isEqualTo("not_member");
            assertThat(code(stranger.call(frame("resume", "after", Map.of(room, 0))))).isEqualTo("not_member");
            assertThat(code(stranger.call(frame("read", "room", room, "seq", 1)))).isEqualTo("not_member");
            assertThat(code(stranger.call(frame("typing", "room", room)))).isEqualTo("not_member");
            assertThat(code(stranger.call(frame("send", "room", room, "text", "let me in")))).isEqualTo("not_member");
            // the rooms list does not show it
            assertThat(listed(stranger, room)).isEmpty();
        }
        // live delivery: a new message reaches neither
        owner.call(frame("send", "room", room, "text", "still secret"));
        for (ChatClient stranger : List.of(outsider, guest)) {
            assertThat(framesUntilPong(stranger)).noneMatch(f -> room.equals(f.path("room").asString()));
        }
        // unread counts: a non-member's welcome does not list the room
        JsonNode welcome = clients.user(port, "ac-outsider-" + kind).welcome();
        assertThat(entry(welcome.get("rooms"), room)).isEmpty();
        // REST
        WebTestClient http = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
        String outsiderToken = clients.token(port, "ac-outsider-" + kind);
        Accounts.get(port, outsiderToken, "/api/rooms/{room}/messages", room).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("not_member");
        Accounts.get(port, outsiderToken, "/api/rooms").exchange()
                .expectStatus().isOk().expectBody(String.class).value(body -> assertThat(body).doesNotContain(room));
        http.get().uri("/api/rooms/{room}/messages", room).exchange().expectStatus().isUnauthorized();
        // the public statistics rank public rooms only
        http.get().uri("/api/stats").exchange()
                .expectStatus().isOk().expectBody(String.class).value(body -> assertThat(body).doesNotContain(room));
    }
}
