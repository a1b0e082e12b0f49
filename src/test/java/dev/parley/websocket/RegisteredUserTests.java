package dev.parley.websocket;

import dev.parley.history.ReadMarkStore;
import dev.parley.session.SessionRegistry;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Users with an identity beyond one connection: presence per user, read marks and unread counts. */
@ParleyTest
class RegisteredUserTests {
    @LocalServerPort
    int port;
    @Autowired
    SessionRegistry sessions;
    @Autowired
    ReadMarkStore readMarks;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    private ChatClient user(String name) {
        return clients.user(port, name);
    }

    private static boolean presenceOf(JsonNode frame, String user) {
        return "presence".equals(frame.path("type").asString()) && user.equals(frame.path("user").asString());
    }

    @Test
    void presenceIsPerUserNotPerConnection() {
        ChatClient watcher = user("watcher");
        watcher.welcome();
        ChatClient first = user("bob");
        first.welcome();
        assertThat(watcher.await(f -> presenceOf(f, "bob")).get("online").asBoolean()).isTrue();
        ChatClient second = user("bob");
        second.welcome();
        int open = sessions.count();

        first.close();
        await().atMost(ChatClient.TIMEOUT).until(() -> sessions.count() == open - 1);
        watcher.send(Map.of("type", "ping", "id", "after-first"));
        List<JsonNode> beforePong = new ArrayList<>();
        JsonNode frame;
        while (!"pong".equals((frame = watcher.next()).path("type").asString())) {
            beforePong.add(frame);
        }
        assertThat(beforePong).as("bob is still online through his second connection")
                .noneMatch(f -> presenceOf(f, "bob"));

        second.close();
        assertThat(watcher.await(f -> presenceOf(f, "bob")).get("online").asBoolean()).isFalse();
    }

    @Test
    void unreadCountsMessagesAfterTheReadMarkButNotTheUsersOwn() {
        ChatClient alice = user("alice");
        long start = alice.welcome().get("rooms").get(0).get("seq").asLong();
        alice.close();
        ChatClient bob = user("bobby");
        bob.welcome();
        for (int i = 1; i <= 3; i++) {
            bob.send(Map.of("type", "send", "room", "general", "text", "while you were away " + i, "id", "b" + i));
            bob.expect("ack");
        }

        ChatClient back = user("alice");
        JsonNode general = back.welcome().get("rooms").get(0);
        assertThat(general.get("unread").asLong()).isEqualTo(3);
        assertThat(general.get("seq").asLong()).isEqualTo(start + 3);

        back.send(Map.of("type", "read", "room", "general", "seq", start + 2));
        back.send(Map.of("type", "send", "room", "general", "text", "my own words", "id", "own"));
        back.expect("ack");
        await().atMost(ChatClient.TIMEOUT)
                .until(() -> readMarks.unread("general", "alice", start + 4).block() == 1);
        back.send(Map.of("type", "read", "room", "general", "seq", start + 1));
        back.close();

        ChatClient again = user("alice");
        assertThat(again.welcome().get("rooms").get(0).get("unread").asLong())
                .as("one of bob's after the mark; her own never counts; the mark never moves back")
                .isEqualTo(1);
    }

    @Test
    void aNewUsersReadMarkStartsAtTheRoomsSeq() {
        ChatClient talker = user("ru-talker");
        talker.welcome();
        talker.send(Map.of("type", "send", "room", "general", "text", "old news", "id", "t"));
        talker.expect("ack");

        ChatClient newcomer = user("newcomer");

        assertThat(newcomer.welcome().get("rooms").get(0).get("unread").asLong()).isZero();
    }
}
