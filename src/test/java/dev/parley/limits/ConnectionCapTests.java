package dev.parley.limits;

import dev.parley.session.SessionRegistry;
import dev.parley.support.Accounts;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Caps on open connections, per user and per address, refused before the upgrade with 429. */
@ParleyTest
@TestPropertySource(properties = {"parley.abuse.connections-per-user=2", "parley.abuse.connections-per-address=4"})
class ConnectionCapTests {
    @LocalServerPort
    int port;
    @Autowired
    SessionRegistry sessions;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    /** Every connection here comes from 127.0.0.1: start from none left over by another test. */
    @BeforeEach
    void noConnectionsOpen() {
        await().atMost(ChatClient.TIMEOUT).until(() -> sessions.count() == 0);
    }

    private WebTestClient.ResponseSpec handshake(String query) {
        return Accounts.http(port).get().uri("/ws?" + query)
                .header(HttpHeaders.UPGRADE, "websocket").header(HttpHeaders.CONNECTION, "Upgrade").exchange();
    }

    @Test
    void aUserOpensAtMostItsCapOfConnections() {
        ChatClient first = clients.welcomedUser(port, "cap-alice");
        clients.welcomedUser(port, "cap-alice");
        handshake(clients.userQuery(port, "cap-alice")).expectStatus().isEqualTo(429)
                .expectBody().jsonPath("$.code").isEqualTo("rate_limited");

        first.close();
        await().atMost(ChatClient.TIMEOUT).until(() -> sessions.count() == 1);
        assertThat(clients.welcomedUser(port, "cap-alice").isClosed()).isFalse();
    }

    @Test
    void aRequestToTheWebSocketThatIsNotUpgradedGivesItsPlaceBack() {
        for (int i = 0; i < 6; i++) {
            // no Upgrade header, then no key: answered 400, never a connection
            Accounts.http(port).get().uri("/ws?nickname=cap-plain-" + i).exchange().expectStatus().isBadRequest();
            Accounts.http(port).get().uri("/ws?nickname=cap-keyless-" + i)
                    .header(HttpHeaders.UPGRADE, "websocket").header(HttpHeaders.CONNECTION, "Upgrade")
                    .header("Sec-WebSocket-Version", "13").exchange().expectStatus().isBadRequest();
        }
        for (int i = 0; i < 4; i++) {
            clients.welcomedGuest(port, "cap-real-" + i);
        }
    }

    @Test
    void anAddressOpensAtMostItsCapOfConnections() {
        for (int i = 0; i < 4; i++) {
            clients.welcomedGuest(port, "cap-guest-" + i);
        }
        handshake("nickname=cap-guest-4").expectStatus().isEqualTo(429)
                .expectBody().jsonPath("$.code").isEqualTo("rate_limited");
    }
}
