package dev.parley.cluster;

import dev.parley.support.Accounts;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ClusterNodes;
import dev.parley.support.ParleyApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpHeaders;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

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
}
