package dev.parley.chat;

import dev.parley.support.Accounts;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static dev.parley.support.Frames.entry;
import static dev.parley.support.Frames.frame;
import static dev.parley.support.Frames.is;
import static org.assertj.core.api.Assertions.assertThat;

/** The rooms over HTTP, against the running server: the same rules and codes as the frames. */
@ParleyTest
class RoomApiTests {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    private WebTestClient http() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    private ChatClient connected(String name) {
        return clients.welcomedUser(port, name);
    }

    private JsonNode post(String path, String user, String body, int status) {
        WebTestClient.RequestBodySpec request = http().post().uri(path)
                .header(HttpHeaders.AUTHORIZATION, Accounts.bearer(clients.token(port, user)));
        WebTestClient.RequestHeadersSpec<?> ready = body == null ? request
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
        return JSON.readTree(ready.exchange().expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult().getResponseBody());
    }

    private JsonNode get(String path, int status) {
        return read(http().get().uri(path), status);
    }

    private JsonNode get(String user, String path, int status) {
        return read(http().get().uri(path).header(HttpHeaders.AUTHORIZATION, Accounts.bearer(clients.token(port, user))),
                status);
    }

    private static JsonNode read(WebTestClient.RequestHeadersSpec<?> request, int status) {
        return JSON.readTree(request.exchange().expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult().getResponseBody());
    }

    @Test
    void withoutCredentialsTheApiSaysWhoAreYou() {
        assertThat(get("/api/rooms", 401).get("code").asString()).isEqualTo("unauthorized");
        assertThat(get("/api/rooms/general/messages?nickname=someone", 401).get("code").asString())
                .isEqualTo("unauthorized");
    }

    @Test
    void aPrivateRoomIsCreatedJoinedByInvitationAndLeftOverHttp() {
        ChatClient bobOnline = connected("api-bob");
        connected("api-alice");

        JsonNode ack = post("/api/rooms", "api-alice", "{\"room\":\"Api-1\",\"visibility\":\"private\"}", 201);
        assertThat(ack.get("type").asString()).isEqualTo("ack");
        assertThat(ack.get("room").asString()).isEqualTo("Api-1");
        assertThat(post("/api/rooms", "api-bob", "{\"room\":\"api-1\"}", 409).get("code").asString())
                .isEqualTo("room_exists");
        assertThat(entry(get("api-alice", "/api/rooms", 200).get("rooms"), "Api-1").orElseThrow()
                .get("present").asBoolean()).isTrue();
        assertThat(entry(get("api-bob", "/api/rooms", 200).get("rooms"), "Api-1")).isEmpty();
        assertThat(post("/api/rooms/Api-1/join", "api-bob", null, 403).get("code").asString()).isEqualTo("forbidden");

        assertThat(post("/api/rooms/Api-1/invite", "api-alice", "{\"user\":\"api-bob\"}", 200).get("type").asString())
                .isEqualTo("ack");
        assertThat(bobOnline.await(is("invited", "Api-1")).get("by").asString()).isEqualTo("api-alice");
        JsonNode joined = post("/api/rooms/api-1/join", "api-bob", null, 200);
        assertThat(joined.get("members").valueStream().map(JsonNode::asString)).containsExactly("api-alice", "api-bob");
        assertThat(bobOnline.await(is("joined", "Api-1")).get("seq").asLong()).isZero();

        bobOnline.call(frame("send", "room", "Api-1", "text", "from the socket"));
        JsonNode history = get("api-alice", "/api/rooms/Api-1/messages", 200);
        assertThat(history.get("room").asString()).isEqualTo("Api-1");
        assertThat(history.get("messages").get(0).get("text").asString()).isEqualTo("from the socket");

        JsonNode left = post("/api/rooms/Api-1/leave", "api-bob", null, 200);
        assertThat(left.get("type").asString()).isEqualTo("left");
        assertThat(bobOnline.await(is("left", "Api-1")).get("user").asString()).isEqualTo("api-bob");
        assertThat(get("api-bob", "/api/rooms/Api-1/messages", 403).get("code").asString()).isEqualTo("not_member");
    }

    @Test
    void badRequestsGetTheContractsErrors() {
        connected("api-careless");
        String user = "api-careless";
        assertThat(post("/api/rooms", user, "{\"room\":", 400).get("code").asString()).isEqualTo("bad_request");
        assertThat(post("/api/rooms", user, "[1]", 400).get("code").asString()).isEqualTo("bad_request");
        assertThat(post("/api/rooms", user, null, 400).get("code").asString()).isEqualTo("bad_request");
        assertThat(post("/api/rooms", user, "{\"room\":\"ok-1\",\"visibility\":\"secret\"}", 400).get("code")
                .asString()).isEqualTo("bad_request");
        assertThat(post("/api/rooms", user, "{\"room\":\"" + "r".repeat(65) + "\"}", 400).get("code").asString())
                .isEqualTo("bad_request");
        assertThat(post("/api/rooms/no-such-room-1/join", user, null, 404).get("code").asString())
                .isEqualTo("no_such_room");
        assertThat(post("/api/rooms/general/leave", user, null, 403).get("code").asString()).isEqualTo("forbidden");
        assertThat(post("/api/rooms/general/invite", user, "{\"user\":\"api-nobody\"}", 404).get("code").asString())
                .isEqualTo("no_such_user");
        assertThat(post("/api/rooms/general/invite", user, "{}", 400).get("code").asString()).isEqualTo("bad_request");
        assertThat(get(user, "/api/rooms/general/messages?limit=0", 400).get("code").asString())
                .isEqualTo("bad_request");
        assertThat(get(user, "/api/rooms/general/messages?limit=201", 400).get("code").asString())
                .isEqualTo("bad_request");
        assertThat(get(user, "/api/rooms/general/messages?before=-1", 400).get("code").asString())
                .isEqualTo("bad_request");
        assertThat(get(user, "/api/rooms/nowhere-3/messages", 404).get("code").asString())
                .isEqualTo("no_such_room");
    }

    @Test
    void messagesPageByBeforeAndAfter() {
        ChatClient writerOnline = connected("api-writer");
        post("/api/rooms", "api-writer", "{\"room\":\"Pages-1\"}", 201);
        for (int i = 1; i <= 10; i++) {
            writerOnline.call(frame("send", "room", "Pages-1", "text", "m" + i));
        }
        String path = "/api/rooms/Pages-1/messages?";
        String writer = "api-writer";

        assertThat(seqs(get(writer, path + "limit=3", 200))).containsExactly(8L, 9L, 10L);
        assertThat(seqs(get(writer, path + "before=5&limit=2", 200))).containsExactly(3L, 4L);
        assertThat(seqs(get(writer, path + "after=7", 200))).containsExactly(8L, 9L, 10L);
        assertThat(seqs(get(writer, path + "after=2&before=6&limit=10", 200))).containsExactly(3L, 4L, 5L);
        assertThat(seqs(get(writer, path + "after=2&limit=2", 200))).containsExactly(3L, 4L);
        // a public room can be read before joining it, as in the rooms list
        connected("api-browser");
        assertThat(seqs(get("api-browser", "/api/rooms/Pages-1/messages?limit=1", 200))).containsExactly(10L);
    }

    private static java.util.List<Long> seqs(JsonNode history) {
        return history.get("messages").valueStream().map(m -> m.get("seq").asLong()).toList();
    }
}
