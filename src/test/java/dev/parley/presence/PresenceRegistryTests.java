package dev.parley.presence;

import dev.parley.config.ParleyProperties;
import dev.parley.identity.ChatUser;
import dev.parley.protocol.FrameCodec;
import dev.parley.support.TestPresence;
import dev.parley.support.TestProperties;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

class PresenceRegistryTests {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ParleyProperties properties = TestProperties.with(Map.of("parley.presence.broadcast-max", "2"));
    private final PresenceRegistry presence =
            TestPresence.singleNode(new FrameCodec(properties.protocolLimits()), properties);

    @Test
    void presenceIsPerUserNotPerConnection() {
        ChatUser bob = new ChatUser("bob", false);
        ChatUser carol = new ChatUser("carol", false);

        StepVerifier.create(presence.events())
                .then(() -> {
                    assertThat(presence.connect(bob)).isTrue();
                    assertThat(presence.connect(bob)).isTrue();
                })
                .expectNextMatches(event("bob", true))
                .then(() -> presence.disconnect(bob))
                .then(() -> assertThat(presence.isOnline("bob")).isTrue())
                // a marker: had the first disconnect emitted, bob's offline would come before it
                .then(() -> presence.connect(carol))
                .expectNextMatches(event("carol", true))
                .then(() -> presence.disconnect(bob))
                .expectNextMatches(event("bob", false))
                .thenCancel()
                .verify(TIMEOUT);
        assertThat(presence.isOnline("bob")).isFalse();
        assertThat(presence.count()).isEqualTo(1);
    }

    @Test
    void eventsCarryTheDisplayNameAndTheCaseInsensitiveKey() {
        StepVerifier.create(presence.events())
                .then(() -> presence.connect(new ChatUser("Bob", false)))
                .assertNext(e -> {
                    assertThat(e.userKey()).isEqualTo("bob");
                    assertThat(e.online()).isTrue();
                    JsonNode frame = JSON.readTree(e.json());
                    assertThat(frame.get("type").asString()).isEqualTo("presence");
                    assertThat(frame.get("user").asString()).isEqualTo("Bob");
                    assertThat(frame.get("online").asBoolean()).isTrue();
                })
                .thenCancel()
                .verify(TIMEOUT);
        assertThat(presence.isOnline("BOB")).isTrue();
    }

    @Test
    void guestNameThatIsOnlineIsRefused() {
        assertThat(presence.connect(new ChatUser("Alice", true))).isTrue();

        assertThat(presence.connect(new ChatUser("alice", true))).isFalse();
        assertThat(presence.connect(new ChatUser("ALICE", false))).isFalse();

        assertThat(presence.count()).isEqualTo(1);
        assertThat(presence.online()).containsExactly("Alice");
    }

    @Test
    void registeredNameHeldByAGuestIsRefused() {
        assertThat(presence.connect(new ChatUser("bob", true))).isTrue();

        assertThat(presence.connect(new ChatUser("bob", false))).isFalse();
    }

    @Test
    void guestCannotTakeTheNameOfAnOnlineRegisteredUser() {
        assertThat(presence.connect(new ChatUser("bob", false))).isTrue();

        assertThat(presence.connect(new ChatUser("Bob", true))).isFalse();
    }

    @Test
    void refusedConnectionTellsNobody() {
        presence.connect(new ChatUser("alice", true));

        StepVerifier.create(presence.events())
                .then(() -> presence.connect(new ChatUser("alice", true)))
                .then(() -> presence.connect(new ChatUser("dave", false)))
                .expectNextMatches(event("dave", true))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void guestNameIsFreeAgainOnceItsConnectionCloses() {
        ChatUser guest = new ChatUser("alice", true);
        presence.connect(guest);

        presence.disconnect(guest);

        assertThat(presence.connect(new ChatUser("alice", true))).isTrue();
    }

    @Test
    void presenceIsBroadcastOnlyWhileAtMostBroadcastMaxUsersAreOnline() {
        ChatUser a = new ChatUser("a", false);
        ChatUser b = new ChatUser("b", false);
        ChatUser c = new ChatUser("c", false);
        ChatUser d = new ChatUser("d", false);

        StepVerifier.create(presence.events())
                .then(() -> presence.connect(a))
                .expectNextMatches(event("a", true).and(PresenceEvent::broadcast))
                .then(() -> presence.connect(b))
                .expectNextMatches(event("b", true).and(PresenceEvent::broadcast))
                // three online now, one over broadcast-max: only watchers hear of it
                .then(() -> presence.connect(c))
                .expectNextMatches(event("c", true).and(e -> !e.broadcast()))
                .then(() -> presence.connect(d))
                .expectNextMatches(event("d", true).and(e -> !e.broadcast()))
                .then(() -> presence.disconnect(d))
                .expectNextMatches(event("d", false).and(e -> !e.broadcast()))
                // back to two online: everyone hears again
                .then(() -> presence.disconnect(c))
                .expectNextMatches(event("c", false).and(PresenceEvent::broadcast))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void lastUserWithinBroadcastMaxIsBroadcastComingAndGoing() {
        presence.connect(new ChatUser("a", false));
        ChatUser b = new ChatUser("b", false);

        StepVerifier.create(presence.events())
                .then(() -> presence.connect(b))
                .expectNextMatches(event("b", true).and(PresenceEvent::broadcast))
                .then(() -> presence.disconnect(b))
                .expectNextMatches(event("b", false).and(PresenceEvent::broadcast))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void onlineIsSortedCaseInsensitivelyAndCapped() {
        for (String name : new String[]{"dave", "Carol", "alice", "Bob", "eve"}) {
            presence.connect(new ChatUser(name, false));
        }

        assertThat(presence.online(3)).containsExactly("alice", "Bob", "Carol");
        assertThat(presence.online()).containsExactly("alice", "Bob", "Carol", "dave", "eve");
        assertThat(presence.count()).isEqualTo(5);
    }

    @Test
    void theListFollowsTheLastConnectionOfEachUser() {
        presence.connect(new ChatUser("alice", false));
        presence.connect(new ChatUser("bob", false));
        presence.connect(new ChatUser("bob", false));

        presence.disconnect(new ChatUser("bob", false));
        assertThat(presence.online()).containsExactly("alice", "bob");

        presence.disconnect(new ChatUser("bob", false));
        assertThat(presence.online()).containsExactly("alice");

        presence.connect(new ChatUser("Bob", false));
        assertThat(presence.online()).containsExactly("alice", "Bob");
        assertThat(presence.online(0)).isEmpty();
    }

    @Test
    void disconnectOfAnUnknownUserChangesNothing() {
        presence.connect(new ChatUser("alice", false));

        presence.disconnect(new ChatUser("zed", false));

        assertThat(presence.online()).containsExactly("alice");
    }

    private static Predicate<PresenceEvent> event(String userKey, boolean online) {
        return e -> e.userKey().equals(userKey) && e.online() == online;
    }
}
