package dev.parley.websocket;

import dev.parley.session.ChatSession;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.parley.support.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request with an id gets exactly one reply, and no connection stops answering, whatever races it:
 * fresh registered users (whose credentials are looked up on store threads) connecting while others send,
 * presence, room events, and replies completed on the store's threads.
 */
@ParleyTest
class EveryRequestAnsweredTests {
    private static final int ROUNDS = 40;

    @LocalServerPort
    int port;
    @Autowired
    SessionRegistry sessions;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    @Test
    void everyConnectionIsSetUpOnItsSocketsEventLoop() {
        for (int i = 0; i < 20; i++) {
            clients.welcomedUser(port, "loop-" + i);
            clients.welcomedGuest(port, "loop-guest-" + i);
        }
        List<WebSocketConnection> connections = sessions.all().stream().map(ChatSession::transport)
                .filter(WebSocketConnection.class::isInstance).map(WebSocketConnection.class::cast).toList();
        assertThat(connections).hasSizeGreaterThanOrEqualTo(40).allMatch(WebSocketConnection::startedOnEventLoop);
    }

    @Test
    void everyRequestGetsExactlyOneReplyAndEveryConnectionStillAnswers() {
        List<ChatClient> everyone = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String a = "era-a" + round;
            String b = "era-b" + round;
            ChatClient first = clients.welcomedUser(port, a);
            ChatClient second = clients.user(port, b);
            everyone.add(first);
            everyone.add(second);
            // the moment the second is announced, both fire every kind of request at once
            first.await(f -> "presence".equals(f.path("type").asString()) && b.equals(f.path("user").asString()));
            Map<String, Map<String, Object>> fromFirst = requests(round, "x", b, "era-room-" + round);
            fromFirst.values().forEach(first::send);
            second.welcome();
            Map<String, Map<String, Object>> fromSecond = requests(round, "y", a, "era-other-" + round);
            fromSecond.values().forEach(second::send);

            assertExactlyOneReplyEach(first, fromFirst.keySet(), round);
            assertExactlyOneReplyEach(second, fromSecond.keySet(), round);
        }
        for (ChatClient client : everyone) {
            assertThat(client.call(frame("ping")).get("type").asString()).isEqualTo("pong");
        }
    }

    /** One of each request, by id: answered on the event loop, by the store's writer, by its readers, by rooms. */
    private static Map<String, Map<String, Object>> requests(int round, String side, String other, String room) {
        Map<String, Map<String, Object>> requests = new LinkedHashMap<>();
        String p = side + round + "-";
        requests.put(p + "ping", frame("ping", "id", p + "ping"));
        requests.put(p + "dm", frame("dm", "to", other, "text", "hello", "id", p + "dm"));
        requests.put(p + "send", frame("send", "room", "general", "text", "hi all", "id", p + "send"));
        requests.put(p + "history", frame("history", "room", "general", "id", p + "history"));
        requests.put(p + "rooms", frame("rooms", "id", p + "rooms"));
        requests.put(p + "typing", frame("typing", "room", "general", "id", p + "typing"));
        requests.put(p + "read", frame("read", "room", "general", "seq", 1, "id", p + "read"));
        requests.put(p + "watch", frame("presence_sub", "users", List.of(other), "id", p + "watch"));
        requests.put(p + "create", frame("create", "room", room, "id", p + "create"));
        requests.put(p + "join", frame("join", "room", "general", "id", p + "join"));
        requests.put(p + "resume", frame("resume", "after", Map.of("general", 0), "id", p + "resume"));
        requests.put(p + "unknown", frame("join", "room", "no-such-room-" + round, "id", p + "unknown"));
        return requests;
    }

    /** Reads until every id is answered, then up to a final pong: each id must have come back exactly once. */
    private static void assertExactlyOneReplyEach(ChatClient client, java.util.Set<String> ids, int round) {
        Map<String, Integer> replies = new HashMap<>();
        while (!replies.keySet().containsAll(ids)) {
            count(client.next(), ids, replies);
        }
        client.send(frame("ping", "id", "last"));
        JsonNode frame;
        while (!"last".equals((frame = client.next()).path("id").asString())) {
            count(frame, ids, replies);
        }
        assertThat(replies).as("replies by id in round %d", round).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
    }

    private static void count(JsonNode frame, java.util.Set<String> ids, Map<String, Integer> replies) {
        String id = frame.path("id").asString();
        // a resume replays message frames, which carry no id; its reply is the resumed frame
        if (ids.contains(id)) {
            replies.merge(id, 1, Integer::sum);
        }
    }
}
