package dev.parley.websocket;

import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The everyday conversation on {@code general}, over real WebSockets. */
@ParleyTest
class ChatFlowTests {
    @LocalServerPort
    int port;
    @Autowired
    DataSource dataSource;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    private ChatClient guest(String nickname) {
        return clients.guest(port, nickname);
    }

    @Test
    void welcomeDescribesGeneralAndWhoIsOnline() {
        ChatClient ann = guest("ann");
        ann.welcome();
        ChatClient ben = guest("ben");

        JsonNode welcome = ben.welcome();

        assertThat(welcome.get("user").asString()).isEqualTo("ben");
        assertThat(welcome.get("guest").asBoolean()).isTrue();
        JsonNode general = welcome.get("rooms").get(0);
        assertThat(general.get("room").asString()).isEqualTo("general");
        assertThat(general.get("visibility").asString()).isEqualTo("public");
        assertThat(general.has("seq")).isTrue();
        assertThat(general.get("unread").asLong()).isZero();
        assertThat(welcome.get("online").valueStream().map(JsonNode::asString)).contains("ann", "ben");
        assertThat(welcome.get("onlineCount").asInt()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aGuestLeavesNoReadStateInTheStore() throws SQLException {
        ChatClient passer = guest("passer");
        long seq = passer.welcome().get("rooms").get(0).get("seq").asLong();
        passer.send(Map.of("type", "read", "room", "general", "seq", seq));
        passer.send(Map.of("type", "ping", "id", "after-read"));
        passer.expect("pong");

        try (Connection c = dataSource.getConnection();
             PreparedStatement marks = c.prepareStatement("SELECT COUNT(*) FROM read_marks WHERE username = ?")) {
            marks.setString(1, "passer");
            try (ResultSet count = marks.executeQuery()) {
                count.next();
                assertThat(count.getLong(1)).as("a guest is new with every connection").isZero();
            }
        }
    }

    @Test
    void sentMessageIsAckedThenDeliveredToEveryoneIncludingTheSender() {
        ChatClient cat = guest("cat");
        ChatClient dan = guest("dan");
        long start = cat.welcome().get("rooms").get(0).get("seq").asLong();
        dan.welcome();

        cat.send(Map.of("type", "send", "room", "general", "text", "  hello there  ", "id", "c1"));

        JsonNode ack = cat.await(f -> f.path("type").asString().matches("ack|message"));
        assertThat(ack.get("type").asString()).as("ack comes before the echo").isEqualTo("ack");
        assertThat(ack.get("id").asString()).isEqualTo("c1");
        assertThat(ack.get("room").asString()).isEqualTo("general");
        long seq = ack.get("seq").asLong();
        assertThat(seq).isGreaterThan(start);
        for (ChatClient client : List.of(cat, dan)) {
            JsonNode message = client.await(f -> "message".equals(f.path("type").asString())
                    && f.get("seq").asLong() == seq);
            assertThat(message.get("from").asString()).isEqualTo("cat");
            assertThat(message.get("text").asString()).isEqualTo("hello there");
            assertThat(message.get("ts").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        }
    }

    @Test
    void messagesOfARoomArriveInSeqOrderWithoutGaps() {
        ChatClient eve = guest("eve");
        ChatClient fay = guest("fay");
        long last = fay.welcome().get("rooms").get(0).get("seq").asLong();
        eve.welcome();

        for (int i = 0; i < 200; i++) {
            eve.send(Map.of("type", "send", "room", "general", "text", "m" + i));
        }

        for (int i = 0; i < 200; i++) {
            JsonNode message = fay.expect("message");
            assertThat(message.get("seq").asLong()).isEqualTo(last + 1);
            last = message.get("seq").asLong();
        }
    }

    @Test
    void historyReturnsTheNewestMessagesBelowBeforeInIncreasingSeq() {
        ChatClient gus = guest("gus");
        gus.welcome();
        long first = 0;
        for (int i = 0; i < 5; i++) {
            gus.send(Map.of("type", "send", "room", "general", "text", "h" + i, "id", "s" + i));
            long seq = gus.expect("ack").get("seq").asLong();
            first = i == 0 ? seq : first;
        }

        gus.send(Map.of("type", "history", "room", "general", "before", first + 4, "limit", 2, "id", "h1"));
        JsonNode page = gus.expect("history");

        assertThat(page.get("id").asString()).isEqualTo("h1");
        assertThat(page.get("room").asString()).isEqualTo("general");
        assertThat(page.get("messages").valueStream().map(m -> m.get("text").asString())).containsExactly("h2", "h3");
        JsonNode message = page.get("messages").get(0);
        assertThat(message.get("type").asString()).isEqualTo("message");
        assertThat(message.get("seq").asLong()).isEqualTo(first + 2);
    }

    @Test
    void typingReachesTheOthersButNotTheTyper() {
        ChatClient hal = guest("hal");
        ChatClient ivy = guest("ivy");
        hal.welcome();
        ivy.welcome();

        hal.send(Map.of("type", "typing", "room", "general"));
        hal.send(Map.of("type", "ping", "id", "after-typing"));

        JsonNode typing = ivy.expect("typing");
        assertThat(typing.get("user").asString()).isEqualTo("hal");
        assertThat(typing.get("room").asString()).isEqualTo("general");
        hal.expect("pong");
        assertThat(hal.drain()).noneMatch(f -> "typing".equals(f.path("type").asString()));
    }

    @Test
    void pingIsAnsweredWithPongCarryingTheId() {
        ChatClient jon = guest("jon");
        jon.welcome();

        jon.send(Map.of("type", "ping", "id", "p-1"));

        assertThat(jon.expect("pong").get("id").asString()).isEqualTo("p-1");
    }

    @Test
    void presenceTellsOthersWhenAUserComesAndGoes() {
        ChatClient kim = guest("kim");
        kim.welcome();
        ChatClient lea = guest("lea");
        lea.welcome();

        JsonNode online = kim.await(f -> "presence".equals(f.path("type").asString())
                && "lea".equals(f.path("user").asString()));
        assertThat(online.get("online").asBoolean()).isTrue();

        lea.close();
        JsonNode offline = kim.await(f -> "presence".equals(f.path("type").asString())
                && "lea".equals(f.path("user").asString()));
        assertThat(offline.get("online").asBoolean()).isFalse();
    }

    @Test
    void aClientThatVanishesMidBroadcastChangesNothingForTheOthers() {
        ChatClient publisher = guest("pub");
        ChatClient stayer = guest("stay");
        List<ChatClient> leavers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            leavers.add(guest("gone" + i));
        }
        publisher.welcome();
        long last = stayer.welcome().get("rooms").get(0).get("seq").asLong();
        leavers.forEach(ChatClient::welcome);

        for (int i = 0; i < 300; i++) {
            publisher.send(Map.of("type", "send", "room", "general", "text", "burst " + i));
            if (i == 100) {
                leavers.forEach(ChatClient::vanish);
            }
        }

        for (int i = 0; i < 300; i++) {
            JsonNode message = stayer.expect("message");
            assertThat(message.get("seq").asLong()).isEqualTo(++last);
        }
    }
}
