package dev.parley.websocket;

import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static dev.parley.support.Frames.code;
import static dev.parley.support.Frames.entry;
import static dev.parley.support.Frames.frame;
import static dev.parley.support.Frames.framesUntilPong;
import static dev.parley.support.Frames.is;
import static org.assertj.core.api.Assertions.assertThat;

/** Private conversations over real WebSockets: {@code dm}, the group of three, messages that wait. */
@ParleyTest
class ConversationTests {
    @LocalServerPort
    int port;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    private ChatClient user(String name) {
        return clients.welcomedUser(port, name);
    }

    @Test
    void aDmOpensThePairsConversationAndReachesBoth() {
        ChatClient alice = user("cv-Alice");
        ChatClient bob = user("cv-bob");
        ChatClient bystander = user("cv-bystander");

        JsonNode ack = alice.call(frame("dm", "to", "CV-BOB", "text", "psst"));

        assertThat(ack.get("type").asString()).isEqualTo("ack");
        assertThat(ack.get("room").asString()).isEqualTo("@cv-alice+cv-bob");
        assertThat(ack.get("seq").asLong()).isEqualTo(1);
        JsonNode joined = bob.await(is("joined", "@cv-alice+cv-bob"));
        assertThat(joined.get("members").valueStream().map(JsonNode::asString)).containsExactly("cv-Alice", "cv-bob");
        JsonNode message = bob.await(is("message", "@cv-alice+cv-bob"));
        assertThat(message.get("from").asString()).isEqualTo("cv-Alice");
        assertThat(message.get("text").asString()).isEqualTo("psst");
        assertThat(alice.await(is("message", "@cv-alice+cv-bob")).get("seq").asLong()).isEqualTo(1);
        assertThat(framesUntilPong(bystander)).noneMatch(f -> f.path("room").asString().startsWith("@cv-alice"));

        // the answer goes into the same room, whichever way round it is addressed
        JsonNode answer = bob.call(frame("dm", "to", "cv-alice", "text", "yes?"));
        assertThat(answer.get("room").asString()).isEqualTo("@cv-alice+cv-bob");
        assertThat(answer.get("seq").asLong()).isEqualTo(2);
        assertThat(bob.call(frame("send", "room", "@cv-alice+cv-bob", "text", "or send")).get("seq").asLong())
                .isEqualTo(3);
    }

    @Test
    void aDmToSomebodyOfflineWaitsForThemAsUnread() {
        user("cv-sleeper").close();
        ChatClient writer = user("cv-writer");

        writer.call(frame("dm", "to", "cv-sleeper", "text", "when you wake up"));
        writer.call(frame("dm", "to", "cv-sleeper", "text", "call me"));

        JsonNode welcome = clients.user(port, "cv-sleeper").welcome();
        JsonNode room = entry(welcome.get("rooms"), "@cv-sleeper+cv-writer").orElseThrow();
        assertThat(room.get("unread").asLong()).isEqualTo(2);
        assertThat(room.get("seq").asLong()).isEqualTo(2);
        assertThat(room.get("visibility").asString()).isEqualTo("private");
    }

    @Test
    void aDmNeedsSomebodyElseWhoExists() {
        ChatClient alone = user("cv-alone");

        assertThat(code(alone.call(frame("dm", "to", "cv-no-such-person", "text", "hello?")))).isEqualTo("no_such_user");
        assertThat(code(alone.call(frame("dm", "to", "CV-ALONE", "text", "me?")))).isEqualTo("bad_request");
        assertThat(code(alone.call(frame("send", "room", "@cv-alone+cv-ghost", "text", "x")))).isEqualTo("no_such_room");
    }

    @Test
    void invitingAThirdPersonOpensTheGroupAndKeepsThePairPrivate() {
        ChatClient alice = user("cv-ann");
        ChatClient bob = user("cv-ben");
        ChatClient carol = user("cv-cat");
        alice.call(frame("dm", "to", "cv-ben", "text", "just between us"));
        bob.await(is("message", "@cv-ann+cv-ben"));

        JsonNode ack = bob.call(frame("invite", "room", "@cv-ann+cv-ben", "user", "cv-cat"));

        assertThat(ack.get("type").asString()).isEqualTo("ack");
        assertThat(ack.get("room").asString()).isEqualTo("@cv-ann+cv-ben+cv-cat");
        assertThat(carol.await(is("invited", "@cv-ann+cv-ben+cv-cat")).get("by").asString()).isEqualTo("cv-ben");
        assertThat(alice.await(is("joined", "@cv-ann+cv-ben+cv-cat")).get("members")).hasSize(3);
        carol.call(frame("send", "room", "@cv-ann+cv-ben+cv-cat", "text", "hi both"));
        assertThat(alice.await(is("message", "@cv-ann+cv-ben+cv-cat")).get("text").asString()).isEqualTo("hi both");
        assertThat(bob.await(is("message", "@cv-ann+cv-ben+cv-cat")).get("text").asString()).isEqualTo("hi both");

        assertThat(code(carol.call(frame("history", "room", "@cv-ann+cv-ben")))).isEqualTo("not_member");
        assertThat(code(carol.call(frame("join", "room", "@cv-ann+cv-ben")))).isEqualTo("forbidden");
        JsonNode again = alice.call(frame("invite", "room", "@cv-ann+cv-ben", "user", "cv-cat"));
        assertThat(again.get("room").asString()).as("the group is reused").isEqualTo("@cv-ann+cv-ben+cv-cat");
        assertThat(alice.call(frame("history", "room", "@cv-ann+cv-ben+cv-cat")).get("messages")).hasSize(1);
    }

    @Test
    void aConversationKeepsItsHistoryForWhoeverLeftAndComesBack() {
        ChatClient alice = user("cv-returner");
        ChatClient bob = user("cv-constant");
        alice.call(frame("dm", "to", "cv-constant", "text", "first"));
        alice.call(frame("leave", "room", "@cv-constant+cv-returner"));

        bob.call(frame("dm", "to", "cv-returner", "text", "come back"));

        JsonNode joined = alice.await(is("joined", "@cv-constant+cv-returner"));
        assertThat(joined.get("user").asString()).isEqualTo("cv-returner");
        assertThat(alice.await(is("message", "@cv-constant+cv-returner")).get("text").asString()).isEqualTo("come back");
        JsonNode history = alice.call(frame("history", "room", "@cv-constant+cv-returner"));
        assertThat(history.get("messages").valueStream().map(m -> m.get("text").asString()))
                .containsExactly("first", "come back");
    }

    @Test
    void aConversationWithAGuestEndsWithTheGuest() {
        ChatClient alice = user("cv-host");
        ChatClient guest = clients.welcomedGuest(port, "cv-visitor");
        guest.call(frame("dm", "to", "cv-host", "text", "hello from a guest"));
        alice.await(is("message", "@cv-host+cv-visitor"));

        guest.close();

        alice.await(is("room_deleted", "@cv-host+cv-visitor"));
        assertThat(code(alice.call(frame("history", "room", "@cv-host+cv-visitor")))).isEqualTo("no_such_room");
    }
}
