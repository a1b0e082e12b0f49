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
import static dev.parley.support.Frames.listed;
import static org.assertj.core.api.Assertions.assertThat;

/** Rooms over real WebSockets: create, list, join, leave, invite, typing, and who hears of what. */
@ParleyTest
class RoomTests {
    @LocalServerPort
    int port;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    private ChatClient user(String name) {
        return clients.welcomedUser(port, name);
    }

    private ChatClient guest(String name) {
        return clients.welcomedGuest(port, name);
    }

    @Test
    void aCreatedRoomIsJoinedAndTalkedInByItsMembersOnly() {
        ChatClient alice = user("rt-alice");
        ChatClient bob = guest("rt-bob");
        ChatClient carol = guest("rt-carol");

        JsonNode ack = alice.call(frame("create", "room", "Lobby-1", "visibility", "public"));
        assertThat(ack.get("type").asString()).isEqualTo("ack");
        assertThat(ack.get("room").asString()).isEqualTo("Lobby-1");
        JsonNode entry = listed(bob, "lobby-1").orElseThrow();
        assertThat(entry.get("visibility").asString()).isEqualTo("public");
        assertThat(entry.get("members").asInt()).isEqualTo(1);
        assertThat(entry.get("present").asBoolean()).isFalse();

        JsonNode joined = bob.call(frame("join", "room", "lobby-1"));
        assertThat(joined.get("type").asString()).isEqualTo("joined");
        assertThat(joined.get("room").asString()).isEqualTo("Lobby-1");
        assertThat(joined.get("user").asString()).isEqualTo("rt-bob");
        assertThat(joined.get("members").valueStream().map(JsonNode::asString)).containsExactly("rt-alice", "rt-bob");
        assertThat(joined.get("seq").asLong()).isZero();
        JsonNode notice = alice.await(is("joined", "Lobby-1"));
        assertThat(notice.get("user").asString()).isEqualTo("rt-bob");
        assertThat(notice.has("members")).isFalse();
        assertThat(listed(bob, "Lobby-1").orElseThrow().get("present").asBoolean()).isTrue();

        JsonNode sent = bob.call(frame("send", "room", "LOBBY-1", "text", "hello lobby"));
        assertThat(sent.get("room").asString()).isEqualTo("Lobby-1");
        assertThat(sent.get("seq").asLong()).isEqualTo(1);
        JsonNode message = alice.await(is("message", "Lobby-1"));
        assertThat(message.get("from").asString()).isEqualTo("rt-bob");
        assertThat(message.get("text").asString()).isEqualTo("hello lobby");
        bob.await(is("message", "Lobby-1"));

        assertThat(framesUntilPong(carol)).as("a non-member hears nothing of the room")
                .noneMatch(f -> "Lobby-1".equals(f.path("room").asString()));
    }

    @Test
    void roomNamesAreUniqueIgnoringCase() {
        ChatClient alice = user("rt-namer");
        alice.call(frame("create", "room", "Unique-1"));

        assertThat(code(alice.call(frame("create", "room", "unique-1")))).isEqualTo("room_exists");
        assertThat(code(alice.call(frame("create", "room", "GENERAL")))).isEqualTo("room_exists");
        assertThat(code(alice.call(frame("create", "room", "@rt-namer+x")))).isEqualTo("bad_request");
        assertThat(code(alice.call(frame("create", "room", "x", "visibility", "hidden")))).isEqualTo("bad_request");
    }

    @Test
    void aPrivateRoomIsSeenAndJoinedOnlyByInvitation() {
        ChatClient alice = user("rt-owner");
        ChatClient bob = user("rt-guestlist");
        alice.call(frame("create", "room", "Secret-1", "visibility", "private"));

        assertThat(listed(bob, "Secret-1")).isEmpty();
        assertThat(code(bob.call(frame("join", "room", "Secret-1")))).isEqualTo("forbidden");

        JsonNode ack = alice.call(frame("invite", "room", "secret-1", "user", "RT-GUESTLIST"));
        assertThat(ack.get("type").asString()).isEqualTo("ack");
        assertThat(ack.get("room").asString()).isEqualTo("Secret-1");
        JsonNode invited = bob.await(is("invited", "Secret-1"));
        assertThat(invited.get("by").asString()).isEqualTo("rt-owner");
        JsonNode entry = listed(bob, "Secret-1").orElseThrow();
        assertThat(entry.get("visibility").asString()).isEqualTo("private");
        assertThat(entry.get("present").asBoolean()).isFalse();

        assertThat(bob.call(frame("join", "room", "Secret-1")).get("type").asString()).isEqualTo("joined");
        assertThat(listed(bob, "Secret-1").orElseThrow().get("present").asBoolean()).isTrue();

        // leaving uses the invitation up: coming back needs a new one
        bob.call(frame("leave", "room", "Secret-1"));
        assertThat(code(bob.call(frame("join", "room", "Secret-1")))).isEqualTo("forbidden");
    }

    @Test
    void aMemberWhoLeavesStopsHearingTheRoomAndTheOthersAreTold() {
        ChatClient alice = user("rt-stayer");
        ChatClient bob = user("rt-leaver");
        ChatClient bobsPhone = clients.user(port, "rt-leaver");
        bobsPhone.welcome();
        alice.call(frame("create", "room", "Leaving-1"));
        bob.call(frame("join", "room", "Leaving-1"));
        assertThat(bobsPhone.await(is("joined", "Leaving-1")).get("members").size()).isEqualTo(2);

        JsonNode left = bob.call(frame("leave", "room", "Leaving-1"));
        assertThat(left.get("type").asString()).isEqualTo("left");
        assertThat(left.get("user").asString()).isEqualTo("rt-leaver");
        assertThat(alice.await(is("left", "Leaving-1")).get("user").asString()).isEqualTo("rt-leaver");
        assertThat(bobsPhone.await(is("left", "Leaving-1")).get("user").asString()).isEqualTo("rt-leaver");

        alice.call(frame("send", "room", "Leaving-1", "text", "after you left"));
        assertThat(framesUntilPong(bob)).noneMatch(is("message", "Leaving-1"));
        assertThat(framesUntilPong(bobsPhone)).noneMatch(is("message", "Leaving-1"));
        assertThat(code(bob.call(frame("send", "room", "Leaving-1", "text", "hi")))).isEqualTo("not_member");
        assertThat(code(bob.call(frame("leave", "room", "Leaving-1")))).isEqualTo("not_member");
        assertThat(code(bob.call(frame("leave", "room", "general")))).isEqualTo("forbidden");
        assertThat(code(bob.call(frame("leave", "room", "nowhere-1")))).isEqualTo("no_such_room");
    }

    @Test
    void joiningOnOneConnectionJoinsTheUsersOtherConnectionsToo() {
        ChatClient laptop = user("rt-two-devices");
        ChatClient phone = user("rt-two-devices");
        ChatClient host = user("rt-host");
        host.call(frame("create", "room", "Devices-1"));

        JsonNode joined = laptop.call(frame("join", "room", "Devices-1"));
        JsonNode onPhone = phone.await(is("joined", "Devices-1"));
        assertThat(onPhone.get("members").valueStream().map(JsonNode::asString))
                .containsExactly("rt-host", "rt-two-devices");
        assertThat(onPhone.get("seq").asLong()).isEqualTo(joined.get("seq").asLong());
        assertThat(onPhone.has("id")).isFalse();

        host.call(frame("send", "room", "Devices-1", "text", "to both"));
        assertThat(laptop.await(is("message", "Devices-1")).get("text").asString()).isEqualTo("to both");
        assertThat(phone.await(is("message", "Devices-1")).get("text").asString()).isEqualTo("to both");
        JsonNode again = laptop.call(frame("join", "room", "Devices-1"));
        assertThat(again.get("type").asString()).as("joining again changes nothing").isEqualTo("joined");
        assertThat(again.get("members")).isEqualTo(joined.get("members"));
    }

    @Test
    void typingGoesToTheOtherMembersOnly() {
        ChatClient alice = user("rt-typist");
        ChatClient bob = guest("rt-reader");
        ChatClient outsider = guest("rt-outsider");
        alice.call(frame("create", "room", "Typing-1"));
        bob.call(frame("join", "room", "Typing-1"));

        alice.send(frame("typing", "room", "Typing-1"));

        assertThat(bob.await(is("typing", "Typing-1")).get("user").asString()).isEqualTo("rt-typist");
        assertThat(framesUntilPong(alice)).noneMatch(is("typing", "Typing-1"));
        assertThat(framesUntilPong(outsider)).noneMatch(is("typing", "Typing-1"));
        assertThat(code(outsider.call(frame("typing", "room", "Typing-1")))).isEqualTo("not_member");
    }

    @Test
    void invitationsNeedAMemberARoomAndSomebodyToInvite() {
        ChatClient alice = user("rt-inviter");
        ChatClient outsider = guest("rt-not-in");
        alice.call(frame("create", "room", "Invite-1", "visibility", "private"));

        assertThat(code(alice.call(frame("invite", "room", "Invite-1", "user", "rt-nobody-at-all"))))
                .isEqualTo("no_such_user");
        assertThat(code(alice.call(frame("invite", "room", "Nowhere-2", "user", "rt-not-in"))))
                .isEqualTo("no_such_room");
        assertThat(code(outsider.call(frame("invite", "room", "Invite-1", "user", "rt-inviter"))))
                .isEqualTo("not_member");
        // a guest online now can be invited; a public room's invitation is only a nudge
        alice.call(frame("create", "room", "Nudge-1"));
        assertThat(alice.call(frame("invite", "room", "Nudge-1", "user", "rt-not-in")).get("type").asString())
                .isEqualTo("ack");
        assertThat(outsider.await(is("invited", "Nudge-1")).get("by").asString()).isEqualTo("rt-inviter");
    }

    @Test
    void aRegisteredMemberStaysAMemberWhileAwayAndFindsTheRoomUnread() {
        ChatClient dora = user("rt-dora");
        dora.call(frame("create", "room", "Away-1"));
        dora.close();
        ChatClient eve = user("rt-eve");
        eve.call(frame("join", "room", "Away-1"));
        eve.call(frame("send", "room", "Away-1", "text", "one"));
        eve.call(frame("send", "room", "Away-1", "text", "two"));

        JsonNode welcome = clients.user(port, "rt-dora").welcome();

        assertThat(welcome.get("rooms").get(0).get("room").asString()).isEqualTo("general");
        JsonNode room = entry(welcome.get("rooms"), "Away-1").orElseThrow();
        assertThat(room.get("seq").asLong()).isEqualTo(2);
        assertThat(room.get("unread").asLong()).isEqualTo(2);
        assertThat(room.get("visibility").asString()).isEqualTo("public");
    }

    @Test
    void aGuestLeavesEveryRoomWhenItsConnectionCloses() {
        ChatClient host = user("rt-keeper");
        ChatClient guest = guest("rt-passing");
        host.call(frame("create", "room", "Passing-1"));
        guest.call(frame("join", "room", "Passing-1"));

        guest.close();

        // both come, in either order: the room's notice and the presence change travel apart
        boolean[] seen = new boolean[2];
        host.await(f -> {
            seen[0] |= is("left", "Passing-1").test(f) && "rt-passing".equals(f.path("user").asString());
            seen[1] |= "presence".equals(f.path("type").asString()) && "rt-passing".equals(f.path("user").asString())
                    && !f.path("online").asBoolean();
            return seen[0] && seen[1];
        });
        assertThat(listed(host, "Passing-1").orElseThrow().get("members").asInt()).isEqualTo(1);
        ChatClient namesake = clients.guest(port, "rt-passing");
        assertThat(namesake.welcome().get("rooms")).as("another guest of that name is nobody's member").hasSize(1);
    }
}
