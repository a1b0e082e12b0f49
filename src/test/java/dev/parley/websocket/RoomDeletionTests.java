package dev.parley.websocket;

import dev.parley.chat.GraceTimer;
import dev.parley.presence.PresenceRegistry;
import dev.parley.room.Room;
import dev.parley.room.RoomRegistry;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;

import java.time.Duration;

import static dev.parley.support.Frames.code;
import static dev.parley.support.Frames.frame;
import static dev.parley.support.Frames.framesUntilPong;
import static dev.parley.support.Frames.is;
import static dev.parley.support.Frames.listed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The grace period of empty rooms, on virtual time (the rest is real: sockets, store, threads):
 * the test moves the clock, the server does the rest.
 */
@ParleyTest
@Import(RoomDeletionTests.VirtualGrace.class)
class RoomDeletionTests {
    private static final Duration GRACE = Duration.ofSeconds(15);

    @LocalServerPort
    int port;
    @Autowired
    VirtualTimeScheduler clock;
    @Autowired
    RoomRegistry registry;
    @Autowired
    PresenceRegistry presence;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    @TestConfiguration
    static class VirtualGrace {
        @Bean
        VirtualTimeScheduler virtualClock() {
            return VirtualTimeScheduler.create();
        }

        @Bean
        @Primary
        GraceTimer virtualGraceTimer(VirtualTimeScheduler virtualClock) {
            return new GraceTimer(virtualClock);
        }
    }

    private ChatClient user(String name) {
        return clients.welcomedUser(port, name);
    }

    private void advance(Duration duration) {
        clock.advanceTimeBy(duration);
    }

    @Test
    void lastMemberLeavingDeletesTheRoomAfterTheGraceAndFreesTheName() {
        ChatClient alice = user("rd-alice");
        ChatClient bystander = clients.welcomedGuest(port, "rd-bystander");
        alice.call(frame("create", "room", "Grace-1"));
        alice.call(frame("send", "room", "Grace-1", "text", "soon gone"));
        Room room = registry.find("Grace-1").orElseThrow();

        alice.call(frame("leave", "room", "Grace-1"));
        advance(GRACE.minusSeconds(1));
        assertThat(listed(bystander, "Grace-1")).as("alive during the grace").isPresent();
        advance(Duration.ofSeconds(1));

        assertThat(bystander.await(is("room_deleted", "Grace-1"))).isNotNull();
        alice.await(is("room_deleted", "Grace-1"));
        assertThat(listed(bystander, "Grace-1")).isEmpty();
        assertThat(code(bystander.call(frame("join", "room", "Grace-1")))).isEqualTo("no_such_room");
        assertThat(room.channel().subscribers()).as("no sink left behind").isZero();

        assertThat(alice.call(frame("create", "room", "GRACE-1")).get("type").asString()).isEqualTo("ack");
        assertThat(alice.call(frame("history", "room", "grace-1")).get("messages")).as("a new room").isEmpty();
        assertThat(alice.call(frame("send", "room", "grace-1", "text", "new")).get("seq").asLong()).isEqualTo(1);
    }

    @Test
    void aJoinDuringTheGraceKeepsTheRoomAndOnlyTheLatestEmptinessCounts() {
        ChatClient alice = user("rd-founder");
        ChatClient bob = user("rd-rescuer");
        alice.call(frame("create", "room", "Rescued-1"));
        alice.call(frame("leave", "room", "Rescued-1"));

        advance(Duration.ofSeconds(10));
        bob.call(frame("join", "room", "Rescued-1"));
        advance(Duration.ofSeconds(2));
        bob.call(frame("leave", "room", "Rescued-1"));
        // the first grace period ends now, but the room has been empty only 3 s
        advance(Duration.ofSeconds(3));
        assertThat(listed(alice, "Rescued-1")).isPresent();
        advance(GRACE.minusSeconds(4));
        assertThat(listed(alice, "Rescued-1")).isPresent();

        advance(Duration.ofSeconds(1));
        alice.await(is("room_deleted", "Rescued-1"));
    }

    @Test
    void aPrivateRoomsDeletionIsToldToItsInviteesOnly() {
        ChatClient owner = user("rd-owner");
        ChatClient invitee = user("rd-invitee");
        ChatClient stranger = user("rd-stranger");
        owner.call(frame("create", "room", "Hush-1", "visibility", "private"));
        owner.call(frame("invite", "room", "Hush-1", "user", "rd-invitee"));
        owner.call(frame("leave", "room", "Hush-1"));

        advance(GRACE);

        invitee.await(is("room_deleted", "Hush-1"));
        assertThat(framesUntilPong(stranger)).noneMatch(is("room_deleted", "Hush-1"));
        assertThat(framesUntilPong(owner)).noneMatch(is("room_deleted", "Hush-1"));
    }

    @Test
    void aRoomOfGuestsOnlyGoesAfterItsLastGuest() {
        ChatClient guest = clients.welcomedGuest(port, "rd-guest");
        ChatClient watcher = clients.welcomedGuest(port, "rd-watcher");
        guest.call(frame("create", "room", "Guests-1"));

        guest.close();
        await().atMost(ChatClient.TIMEOUT).until(() -> !presence.isOnline("rd-guest"));
        assertThat(listed(watcher, "Guests-1").orElseThrow().get("members").asInt()).isZero();
        advance(GRACE);

        watcher.await(is("room_deleted", "Guests-1"));
    }

    @Test
    void aConversationIsNeverDeletedForBeingEmpty() {
        ChatClient alice = user("rd-pen");
        ChatClient bob = user("rd-pal");
        alice.call(frame("dm", "to", "rd-pal", "text", "kept"));
        alice.call(frame("leave", "room", "@rd-pal+rd-pen"));
        bob.call(frame("leave", "room", "@rd-pal+rd-pen"));

        advance(Duration.ofDays(1));

        JsonNode ack = bob.call(frame("dm", "to", "rd-pen", "text", "still here?"));
        assertThat(ack.get("seq").asLong()).isEqualTo(2);
        assertThat(bob.call(frame("history", "room", "@rd-pal+rd-pen")).get("messages").get(0).get("text")
                .asString()).isEqualTo("kept");
    }
}
