package dev.parley.cluster;

import dev.parley.presence.PresenceRegistry;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ClusterNodes;
import dev.parley.support.ParleyApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Presence is per user across the cluster: who is online, presence events, guest names, a node that stops. */
class ClusterPresenceTests {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final ClusterNodes cluster = new ClusterNodes();

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    @Test
    void whoIsOnlineAndGuestNamesSpanTheCluster() {
        List<ParleyApp> nodes = cluster.start(2);
        ChatClient watcher = clients.welcomedGuest(nodes.get(1).port(), "cp-watcher");
        ChatClient ann = clients.welcomedGuest(nodes.get(0).port(), "cp-ann");

        watcher.await(f -> isPresence(f, "cp-ann", true));
        JsonNode welcome = clients.guest(nodes.get(1).port(), "cp-late").welcome();
        assertThat(names(welcome.get("online"))).contains("cp-ann", "cp-watcher");
        assertThat(welcome.get("onlineCount").asInt()).isEqualTo(3);
        assertThat(handshakeStatus(nodes.get(1).port(), "cp-ann")).as("the name is taken on the other node")
                .isEqualTo(409);
        PresenceRegistry.ClusterFigures figures = nodes.get(1).bean(PresenceRegistry.class).cluster();
        assertThat(figures.nodes()).isEqualTo(2);
        assertThat(figures.usersOnline()).isEqualTo(3);

        ann.close();
        watcher.await(f -> isPresence(f, "cp-ann", false));
        assertThat(handshakeStatus(nodes.get(1).port(), "cp-ann")).as("free again").isEqualTo(101);
    }

    @Test
    void statsCountIdleNodesToo() {
        List<ParleyApp> nodes = cluster.start(3);
        await().atMost(WAIT).until(() -> nodes.get(0).bean(PresenceRegistry.class).cluster().nodes() == 3);
    }

    @Test
    void aNodeThatJoinsLearnsWhoIsOnlineAndOneThatStopsTakesItsUsersOffline() {
        ParleyApp first = cluster.start(1).get(0);
        clients.welcomedGuest(first.port(), "cp-early");
        ParleyApp second = cluster.start(1).get(0);

        await().atMost(WAIT).until(() -> names(clients.guest(second.port(), "cp-look-" + System.nanoTime())
                .welcome().get("online")).contains("cp-early"));
        ChatClient watcher = clients.welcomedGuest(second.port(), "cp-watcher2");

        first.close();

        watcher.await(f -> isPresence(f, "cp-early", false));
    }

    private static boolean isPresence(JsonNode frame, String user, boolean online) {
        return "presence".equals(frame.path("type").asString()) && user.equals(frame.path("user").asString())
                && frame.path("online").asBoolean() == online;
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(name -> names.add(name.asString()));
        return names;
    }

    /** 101 when a guest of this name is let in (and leaves at once), else the refusal's status. */
    private static int handshakeStatus(int port, String nickname) {
        return ClusterUsersTests.handshakeStatus(port, "nickname=" + nickname);
    }
}
