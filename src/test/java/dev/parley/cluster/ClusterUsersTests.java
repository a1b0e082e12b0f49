package dev.parley.cluster;

import dev.parley.presence.PresenceRegistry;
import dev.parley.support.Accounts;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ClusterNodes;
import dev.parley.support.ParleyApp;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static dev.parley.support.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Users across nodes: a login made on one node opens connections on any, and logging out ends them on every one. */
class ClusterUsersTests {

    @RegisterExtension
    final ClusterNodes cluster = new ClusterNodes();

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    @Test
    void loggingOutOnOneNodeEndsWhatTheTokenOpenedOnEveryNode() {
        List<ParleyApp> nodes = cluster.start(2);
        String token = clients.token(nodes.get(0).port(), "cu-dora");
        ChatClient here = clients.track(ChatClient.connect(nodes.get(0).port(), "access_token=" + token));
        ChatClient there = clients.track(ChatClient.connect(nodes.get(1).port(), "access_token=" + token));
        here.welcome();
        there.welcome();

        Accounts.http(nodes.get(0).port()).post().uri("/api/auth/logout")
                .header(HttpHeaders.AUTHORIZATION, Accounts.bearer(token)).exchange().expectStatus().isNoContent();

        assertThat(here.closeStatus().code()).isEqualTo(1008);
        assertThat(there.closeStatus().code()).as("on the other node too").isEqualTo(1008);
    }

    @Test
    void aUsersLimitsHoldForTheClusterAsAWhole() {
        List<ParleyApp> nodes = cluster.start(2, "--parley.abuse.connections-per-user=2",
                "--parley.abuse.messages-per-second=2", "--parley.abuse.messages-burst=10");
        String token = clients.token(nodes.get(0).port(), "cu-eve");
        ChatClient here = clients.track(ChatClient.connect(nodes.get(0).port(), "access_token=" + token));
        here.welcome();
        clients.track(ChatClient.connect(nodes.get(1).port(), "access_token=" + token)).welcome();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> nodes.get(0).bean(PresenceRegistry.class).nodesOf("cu-eve") == 2);

        assertThat(handshakeStatus(nodes.get(0).port(), "access_token=" + token))
                .as("two connections open in the cluster, the most allowed").isEqualTo(429);
        for (int i = 0; i < 10; i++) {
            here.send(frame("send", "room", "general", "text", "e" + i, "id", "e" + i));
        }
        int acked = 0;
        for (int i = 0; i < 10; i++) {
            JsonNode reply = here.await(f -> f.path("id").asString().startsWith("e"));
            acked += "ack".equals(reply.path("type").asString()) ? 1 : 0;
        }
        assertThat(acked).as("a burst of 10 shared by the two nodes the user is on: 5 here").isBetween(5, 6);
    }

    @Test
    void anAddresssLimitsHoldForTheClusterAsAWhole() {
        List<ParleyApp> nodes = cluster.start(2, "--parley.abuse.connections-per-address=3",
                "--parley.abuse.auth-per-minute=3");
        ChatClient first = clients.welcomedGuest(nodes.get(0).port(), "ca-1");
        clients.welcomedGuest(nodes.get(0).port(), "ca-2");
        clients.welcomedGuest(nodes.get(1).port(), "ca-3");
        assertThat(handshakeStatus(nodes.get(1).port(), "nickname=ca-4"))
                .as("three connections from this address in the cluster, the most allowed").isEqualTo(429);
        first.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> handshakeStatus(nodes.get(1).port(), "nickname=ca-5") == 101);

        for (int i = 0; i < 3; i++) {
            assertThat(failedSignIn(nodes.get(i % 2).port())).as("a wrong password").isEqualTo(401);
        }
        assertThat(failedSignIn(nodes.get(1).port())).as("three failures from this address in the cluster this minute")
                .isEqualTo(429);
    }

    private static int failedSignIn(int port) {
        return Accounts.http(port).post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Accounts.credentials("ca-nobody", "not the password")).exchange()
                .returnResult(String.class).getStatus().value();
    }

    /** 101 when the connection is let in (and left at once), else the refusal's status. */
    static int handshakeStatus(int port, String query) {
        try {
            HttpClient.create().websocket().uri("ws://localhost:" + port + "/ws?" + query)
                    .handle((in, out) -> in.receive().asString(StandardCharsets.UTF_8).take(1))
                    .next().block(ChatClient.TIMEOUT);
            return 101;
        } catch (WebSocketClientHandshakeException e) {
            return e.response().status().code();
        }
    }
}
