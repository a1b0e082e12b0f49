package dev.parley.cluster;

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

import static dev.parley.support.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Rooms across nodes: their events reach members wherever they are, and an empty room ends once, on any node. */
class ClusterRoomsTests {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final ClusterNodes cluster = new ClusterNodes();

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    @Test
    void roomsInvitationsConversationsAndTheirEventsReachMembersOnEveryNode() {
        List<ParleyApp> nodes = cluster.start(2);
        ChatClient ann = clients.welcomedUser(nodes.get(0).port(), "cr-ann");
        ChatClient bob = clients.welcomedUser(nodes.get(1).port(), "cr-bob");

        assertThat(ann.call(frame("create", "room", "cr-team", "visibility", "private")).get("type").asString())
                .isEqualTo("ack");
        assertThat(ann.call(frame("invite", "room", "cr-team", "user", "cr-bob")).get("type").asString())
                .isEqualTo("ack");
        JsonNode invited = bob.expect("invited");
        assertThat(invited.get("room").asString()).isEqualTo("cr-team");
        assertThat(invited.get("by").asString()).isEqualTo("cr-ann");
        assertThat(listed(bob, "cr-team")).as("the invitation lets bob see the private room on his node").isTrue();

        JsonNode joined = bob.call(frame("join", "room", "cr-team"));
        assertThat(joined.get("type").asString()).isEqualTo("joined");
        assertThat(joined.get("members").toString()).contains("cr-ann", "cr-bob");
        assertThat(ann.await(f -> "joined".equals(f.path("type").asString()) && "cr-bob".equals(f.path("user").asString()))
                .get("room").asString()).isEqualTo("cr-team");

        ann.call(frame("send", "room", "cr-team", "text", "hello team"));
        assertThat(bob.expect("message").get("text").asString()).isEqualTo("hello team");
        bob.send(frame("typing", "room", "cr-team"));
        assertThat(ann.expect("typing").get("user").asString()).isEqualTo("cr-bob");

        bob.call(frame("leave", "room", "cr-team"));
        JsonNode left = ann.expect("left");
        assertThat(left.get("user").asString()).isEqualTo("cr-bob");

        ann.call(frame("dm", "to", "cr-bob", "text", "just us"));
        JsonNode conversation = bob.expect("message");
        assertThat(conversation.get("room").asString()).startsWith("@");
        assertThat(conversation.get("text").asString()).isEqualTo("just us");
        JsonNode reply = bob.call(frame("send", "room", conversation.get("room").asString(), "text", "yes"));
        assertThat(reply.get("type").asString()).as("bob follows the conversation on his node").isEqualTo("ack");
        assertThat(ann.await(f -> "message".equals(f.path("type").asString()) && "cr-bob".equals(f.path("from").asString()))
                .get("text").asString()).isEqualTo("yes");
    }

    @Test
    void aRoomLeftEmptyIsDeletedOnceAfterItsGraceEvenWhenTheNodeThatSawItEmptyIsGone() {
        String[] quick = {"--parley.rooms.empty-grace=1s", "--parley.cluster.reconcile-interval=300ms"};
        List<ParleyApp> nodes = cluster.start(3, quick);
        ChatClient owner = clients.welcomedGuest(nodes.get(0).port(), "cr-owner");
        ChatClient watcher = clients.welcomedGuest(nodes.get(1).port(), "cr-watcher");
        ChatClient other = clients.welcomedGuest(nodes.get(2).port(), "cr-other");
        owner.call(frame("create", "room", "cr-brief"));
        await().atMost(WAIT).until(() -> listed(watcher, "cr-brief") && listed(other, "cr-brief"));

        assertThat(other.call(frame("join", "room", "cr-brief")).get("type").asString()).isEqualTo("joined");
        owner.call(frame("leave", "room", "cr-brief"));
        assertThat(other.call(frame("leave", "room", "cr-brief")).get("type").asString()).isEqualTo("left");
        // the node where the room became empty goes at once: the others still delete it
        nodes.get(2).close();

        assertThat(watcher.expect("room_deleted").get("room").asString()).isEqualTo("cr-brief");
        assertThat(owner.expect("room_deleted").get("room").asString()).isEqualTo("cr-brief");
        assertThat(watcher.call(frame("join", "room", "cr-brief")).path("code").asString()).isEqualTo("no_such_room");
        // the name is free again, on any node, and the new room is not deleted by a late second deletion
        await().atMost(WAIT).until(() -> "ack".equals(watcher.call(frame("create", "room", "cr-brief")).path("type").asString()));
        assertThat(owner.call(frame("join", "room", "cr-brief")).get("type").asString()).isEqualTo("joined");
        watcher.call(frame("send", "room", "cr-brief", "text", "still here"));
        assertThat(owner.expect("message").get("seq").asLong()).as("a new room, from seq 1").isEqualTo(1);
        List<JsonNode> deletions = new ArrayList<>();
        watcher.drain().stream().filter(f -> "room_deleted".equals(f.path("type").asString())).forEach(deletions::add);
        assertThat(deletions).as("told once").isEmpty();
    }

    /** Whether the room is in the client's {@code rooms} list. */
    private static boolean listed(ChatClient client, String room) {
        for (JsonNode summary : client.call(frame("rooms")).get("rooms")) {
            if (room.equals(summary.get("room").asString())) {
                return true;
            }
        }
        return false;
    }
}
