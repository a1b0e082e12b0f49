package dev.parley.websocket;

import dev.parley.stats.CloseReason;
import dev.parley.stats.ParleyMetrics;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every limit and error of the contract that applies to {@code general}: the client gets a
 * clear error (or the contract's close code) and, except for an oversized frame, the
 * connection stays usable.
 */
@ParleyTest
class ProtocolLimitsTests {
    @LocalServerPort
    int port;
    @Autowired
    ParleyMetrics metrics;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    /** A guest past its welcome. */
    private ChatClient guest(String nickname) {
        return clients.welcomedGuest(port, nickname);
    }

    /** The error for one bad frame, then proof that the connection still works. */
    private JsonNode errorFor(ChatClient client, String frame) {
        client.sendText(frame);
        JsonNode error = client.expect("error");
        client.send(Map.of("type", "ping", "id", "still-there"));
        assertThat(client.expect("pong").get("id").asString()).isEqualTo("still-there");
        return error;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON                  | {nope                                                          | bad_request |",
            "not an object             | [1,2]                                                          | bad_request |",
            "no type                   | {\"id\":\"a\"}                                                 | bad_request | a",
            "unknown type              | {\"type\":\"dance\",\"id\":\"b\"}                              | bad_request | b",
            "blank text                | {\"type\":\"send\",\"room\":\"general\",\"text\":\"   \",\"id\":\"c\"} | bad_request | c",
            "text not a string         | {\"type\":\"send\",\"room\":\"general\",\"text\":5,\"id\":\"d\"} | bad_request | d",
            "no such room              | {\"type\":\"send\",\"room\":\"nowhere\",\"text\":\"hi\",\"id\":\"e\"} | no_such_room | e",
            "invalid room name         | {\"type\":\"send\",\"room\":\"a b\",\"text\":\"hi\",\"id\":\"f\"} | bad_request | f",
            "history limit 0           | {\"type\":\"history\",\"room\":\"general\",\"limit\":0,\"id\":\"g\"} | bad_request | g",
            "history limit 201         | {\"type\":\"history\",\"room\":\"general\",\"limit\":201,\"id\":\"h\"} | bad_request | h",
            "negative read seq         | {\"type\":\"read\",\"room\":\"general\",\"seq\":-1,\"id\":\"i\"} | bad_request | i",
            "resume of no room         | {\"type\":\"resume\",\"after\":{},\"id\":\"j\"}                | bad_request | j",
            "resume of unknown room    | {\"type\":\"resume\",\"after\":{\"nowhere\":1},\"id\":\"k\"}   | no_such_room | k",
    })
    void badFrameGetsAClearErrorAndTheConnectionStays(String name, String frame, String code, String id) {
        JsonNode error = errorFor(guest("bad" + Math.abs(name.hashCode() % 100000)), frame);

        assertThat(error.get("code").asString()).isEqualTo(code);
        assertThat(error.get("message").asString()).isNotBlank();
        if (id != null) {
            assertThat(error.get("id").asString()).isEqualTo(id);
        }
    }

    @Test
    void textOverTheLimitIsTooLargeAndNothingIsStored() {
        ChatClient max = guest("max");

        JsonNode error = errorFor(max, "{\"type\":\"send\",\"room\":\"general\",\"text\":\""
                + ChatClient.text(4001) + "\",\"id\":\"long\"}");

        assertThat(error.get("code").asString()).isEqualTo("too_large");
        assertThat(error.get("id").asString()).isEqualTo("long");
        assertThat(max.drain()).noneMatch(f -> "message".equals(f.path("type").asString()));
    }

    @Test
    void textOfExactlyTheLimitIsAccepted() {
        ChatClient ned = guest("ned");

        ned.send(Map.of("type", "send", "room", "general", "text", "é".repeat(4000), "id", "edge"));

        assertThat(ned.expect("ack").get("id").asString()).isEqualTo("edge");
    }

    @Test
    void idOverSixtyFourCharactersIsRefused() {
        JsonNode error = errorFor(guest("oli"), "{\"type\":\"ping\",\"id\":\"" + "i".repeat(65) + "\"}");

        assertThat(error.get("code").asString()).isEqualTo("bad_request");
        assertThat(error.has("id")).isFalse();
    }

    @Test
    void binaryFrameIsAnsweredWithBadRequest() {
        ChatClient pam = guest("pam");

        pam.sendBinary(new byte[]{1, 2, 3});

        assertThat(pam.expect("error").get("code").asString()).isEqualTo("bad_request");
        pam.send(Map.of("type", "ping", "id", "ok"));
        pam.expect("pong");
    }

    @Test
    void frameOfExactly64KiBIsReadAndGetsAnError() {
        ChatClient quin = guest("quin");
        String prefix = "{\"type\":\"send\",\"room\":\"general\",\"id\":\"big\",\"text\":\"";
        String frame = prefix + ChatClient.text(65536 - prefix.length() - 2) + "\"}";
        assertThat(frame).hasSize(65536);

        JsonNode error = errorFor(quin, frame);

        assertThat(error.get("code").asString()).isEqualTo("too_large");
    }

    @Test
    void frameOver64KiBClosesWith1009() {
        ChatClient ray = guest("ray");

        ray.sendText("{\"type\":\"ping\",\"pad\":\"" + ChatClient.text(65536) + "\"}");

        assertThat(ray.closeStatus().code()).isEqualTo(1009);
        await().atMost(ChatClient.TIMEOUT).until(() -> metrics.connectionsClosed(CloseReason.LIMIT) >= 1);
    }

    @Test
    void fragmentedMessageOver64KiBClosesTheConnection() {
        double limitBefore = metrics.connectionsClosed(CloseReason.LIMIT);
        ChatClient una = guest("una");

        una.sendFragmented("{\"type\":\"ping\",\"pad\":\"" + ChatClient.text(40_000), ChatClient.text(40_000) + "\"}");

        // Reactor Netty answers the aggregator's error with a close frame of its own, without a status (1005)
        assertThat(una.closeStatus().code()).isIn(1005, 1009);
        await().atMost(ChatClient.TIMEOUT).until(() -> metrics.connectionsClosed(CloseReason.LIMIT) > limitBefore);
    }

    @Test
    void fragmentedMessageWithinTheLimitIsReadAsOne() {
        ChatClient vic = guest("vic");

        vic.sendFragmented("{\"type\":\"ping\",", "\"id\":\"whole\"}");

        assertThat(vic.expect("pong").get("id").asString()).isEqualTo("whole");
    }

    @Test
    void aMessageStoredJustBeforeItsSenderIsCutOffStillReachesTheRoom() {
        ChatClient observer = guest("observer");
        ChatClient sender = guest("sender");

        // the oversized frame kills the sender's connection while its send is still being stored
        sender.send(Map.of("type", "send", "room", "general", "text", "last words", "id", "last"));
        sender.sendText("{\"type\":\"ping\",\"pad\":\"" + ChatClient.text(70_000) + "\"}");

        JsonNode message = observer.await(f -> "message".equals(f.path("type").asString())
                && "sender".equals(f.path("from").asString()));
        assertThat(message.get("text").asString()).isEqualTo("last words");
        observer.send(Map.of("type", "send", "room", "general", "text", "after", "id", "a"));
        assertThat(observer.expect("message").get("seq").asLong()).as("no gap after it")
                .isEqualTo(message.get("seq").asLong() + 1);
    }

    @Test
    void handshakeWithoutIdentityIsRefusedWith401() {
        http().get().uri("/ws")
                .header(HttpHeaders.UPGRADE, "websocket").header(HttpHeaders.CONNECTION, "Upgrade")
                .exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("unauthorized").jsonPath("$.message").isNotEmpty();
    }

    @Test
    void handshakeWithAnInvalidNicknameIsRefusedWith400() {
        http().get().uri("/ws?nickname={n}", "no spaces allowed")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("bad_request");
    }

    @Test
    void nicknameOnlineRightNowIsRefusedWith409EvenInAnotherCase() {
        guest("sue");

        http().get().uri("/ws?nickname=SUE")
                .header(HttpHeaders.UPGRADE, "websocket").header(HttpHeaders.CONNECTION, "Upgrade")
                .exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("name_taken");
    }

    private WebTestClient http() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }
}
