package dev.parley.security;

import dev.parley.security.Strangers.Secrets;
import dev.parley.security.Strangers.Stranger;
import dev.parley.security.Strangers.Viewer;
import dev.parley.security.Strangers.Watched;
import dev.parley.support.Accounts;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import static dev.parley.security.Strangers.body;
import static dev.parley.support.Frames.code;
import static dev.parley.support.Frames.entry;
import static dev.parley.support.Frames.frame;
import static dev.parley.support.Frames.is;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * No leak through any door: for every read path (live delivery, history, resume, the welcome's
 * rooms and unread counts, join, the rooms list, REST messages, members and statistics), each kind
 * of stranger ({@link Viewer}) gets nothing of a private room or a conversation.
 * <p>
 * Each test sets up its own secrets ({@link Strangers#secrets}): an owner's private room with an
 * invited member, and the owner's conversation with that member, both holding messages that carry
 * a unique marker. A stranger that may not connect at all has no frame door: there the handshake,
 * refused with 401 before the upgrade, is the whole answer.
 * <p>
 * A WebSocket opened with a token before its logout is closed by the logout (1008): see
 * {@code AccountTests.logoutEndsTheTokenEverywhere}.
 */
@ParleyTest
class NoLeakTests {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    private Strangers cast;

    @BeforeEach
    void cast() {
        cast = new Strangers(port, clients);
    }

    @Test
    void theMembersReadTheSecretsThatStrangersMustNot() {
        // proves the matrix below is not vacuous: every door it finds shut opens for a member
        Secrets secrets = cast.secrets();
        String memberToken = clients.token(port, secrets.member());
        JsonNode welcome = clients.user(port, secrets.member()).welcome();
        for (String room : secrets.privateRooms()) {
            assertThat(entry(welcome.get("rooms"), room)).as("the member's welcome lists %s", room)
                    .hasValueSatisfying(entry -> assertThat(entry.get("unread").asLong()).isPositive());
            assertThat(secrets.memberSocket().call(frame("history", "room", room)).toString())
                    .contains(secrets.marker());
            assertThat(body(Accounts.get(port, memberToken, "/api/rooms/{room}/messages", room).exchange(), 200))
                    .contains(secrets.marker());
            assertThat(entry(secrets.memberSocket().call(frame("rooms")).get("rooms"), room)).isPresent();
        }
    }

    @ParameterizedTest
    @EnumSource(Viewer.class)
    void liveTrafficOfPrivateRoomsNeverReachesAStranger(Viewer viewer) {
        Secrets secrets = cast.secrets();
        Watched stranger = cast.connect(cast.stranger(viewer, secrets));
        if (stranger == null) {
            // refused before the upgrade (asserted by connect): nothing can be delivered to it
            return;
        }
        ChatClient owner = secrets.ownerSocket();
        String late = secrets.prefix() + "-late";
        ChatClient lateSocket = clients.welcomedUser(port, late);

        // every kind of live frame a member sees: messages, typing, membership notices
        owner.call(frame("send", "room", secrets.room(), "text", secrets.marker() + " live in the room"));
        owner.call(frame("dm", "to", secrets.member(), "text", secrets.marker() + " live in private"));
        owner.send(frame("typing", "room", secrets.room()));
        owner.call(frame("invite", "room", secrets.room(), "user", late));
        lateSocket.call(frame("join", "room", secrets.room()));
        lateSocket.call(frame("leave", "room", secrets.room()));

        // the member got all of it, so the fan-out is done; the stranger's ping barrier then shows what it got
        awaitAll(secrets.memberSocket(), List.of(
                is("message", secrets.room()).and(f -> f.get("text").asString().contains("live in the room")),
                is("message", secrets.conversation()).and(f -> f.get("text").asString().contains("live in private")),
                is("typing", secrets.room()),
                is("joined", secrets.room()).and(f -> late.equals(f.get("user").asString())),
                is("left", secrets.room()).and(f -> late.equals(f.get("user").asString()))));
        assertSawNothingPrivate(stranger, secrets);
    }

    @ParameterizedTest
    @EnumSource(Viewer.class)
    void historyOfAPrivateRoomIsRefusedToAStranger(Viewer viewer) {
        Secrets secrets = cast.secrets();
        Watched stranger = cast.connect(cast.stranger(viewer, secrets));
        if (stranger == null) {
            return;
        }
        for (String room : secrets.privateRooms()) {
            // names are case-insensitive: another spelling must not be another door
            for (String spelling : List.of(room, room.toUpperCase(Locale.ROOT))) {
                JsonNode reply = stranger.ask(frame("history", "room", spelling));
                assertThat(code(reply)).as("history of %s", spelling).isEqualTo("not_member");
                assertThat(reply.has("messages")).isFalse();
            }
        }
        assertSawNothingPrivate(stranger, secrets);
    }

    @ParameterizedTest
    @EnumSource(Viewer.class)
    void resumeOfAPrivateRoomReplaysNothingToAStranger(Viewer viewer) {
        Secrets secrets = cast.secrets();
        Watched stranger = cast.connect(cast.stranger(viewer, secrets));
        if (stranger == null) {
            return;
        }
        for (String room : secrets.privateRooms()) {
            assertThat(code(stranger.ask(frame("resume", "after", Map.of(room, 0))))).as("resume of %s", room)
                    .isEqualTo("not_member");
        }
        // nothing replayed, before or after the refusal: no message frame, no resumed
        assertThat(stranger.everything()).noneMatch(f -> "message".equals(f.path("type").asString())
                || "resumed".equals(f.path("type").asString()));
        assertSawNothingPrivate(stranger, secrets);
    }

    @ParameterizedTest
    @EnumSource(Viewer.class)
    void aStrangersWelcomeListsNoPrivateRoomNorItsUnreadCount(Viewer viewer) {
        // the stranger connects after the secrets (and their unread counts) exist
        Secrets secrets = cast.secrets();
        Watched stranger = cast.connect(cast.stranger(viewer, secrets));
        if (stranger == null) {
            return;
        }
        assertThat(stranger.welcome.get("rooms").valueStream().map(entry -> entry.get("room").asString()))
                .as("a newcomer is in general only").containsExactly("general");
        assertSawNothingPrivate(stranger, secrets);
    }

    @ParameterizedTest
    @EnumSource(Viewer.class)
    void joiningAPrivateRoomIsForbiddenToAStrangerAndRevealsNoMember(Viewer viewer) {
        Secrets secrets = cast.secrets();
        Stranger who = cast.stranger(viewer, secrets);
        Watched stranger = cast.connect(who);
        if (stranger != null) {
            for (String room : secrets.privateRooms()) {
                JsonNode reply = stranger.ask(frame("join", "room", room));
                assertThat(code(reply)).as("join of %s", room).isEqualTo("forbidden");
                assertThat(reply.has("members")).isFalse();
            }
            // a private room's name does not say who is in it, so neither may the refusal
            assertThat(stranger.ask(frame("join", "room", secrets.room())).toString())
                    .doesNotContain(secrets.owner(), secrets.member());
            // a refused join subscribes to nothing: the next message does not come through
            secrets.ownerSocket().call(frame("send", "room", secrets.room(), "text", secrets.marker() + " after"));
            secrets.memberSocket().await(is("message", secrets.room())
                    .and(f -> f.get("text").asString().endsWith(" after")));
            assertSawNothingPrivate(stranger, secrets);
        }
        for (String room : secrets.privateRooms()) {
            String body = body(cast.rest(who, HttpMethod.POST, "/api/rooms/{room}/join", Map.of(), room),
                    viewer.knownToRest ? 403 : 401);
            assertThat(json(body).get("code").asString()).isEqualTo(viewer.knownToRest ? "forbidden" : "unauthorized");
            assertThat(body).doesNotContain("members", secrets.marker());
        }
        if (viewer.knownToRest) {
            // refused, so still unable to read it
            cast.rest(who, HttpMethod.GET, "/api/rooms/{room}/messages", Map.of(), secrets.room())
                    .expectStatus().isForbidden();
        }
    }

    @ParameterizedTest
    @EnumSource(Viewer.class)
    void aStrangersRoomsListShowsNoPrivateRoom(Viewer viewer) {
        Secrets secrets = cast.secrets();
        Stranger who = cast.stranger(viewer, secrets);
        Watched stranger = cast.connect(who);
        if (stranger != null) {
            JsonNode list = stranger.ask(frame("rooms"));
            assertThat(list.get("type").asString()).isEqualTo("rooms");
            assertNoPrivateName("the rooms frame", list.toString(), secrets);
            assertSawNothingPrivate(stranger, secrets);
        }
        String body = body(cast.rest(who, HttpMethod.GET, "/api/rooms", Map.of()), viewer.knownToRest ? 200 : 401);
        if (viewer.knownToRest) {
            assertNoPrivateName("GET /api/rooms", body, secrets);
        } else {
            assertThat(json(body).get("code").asString()).isEqualTo("unauthorized");
        }
    }

    @ParameterizedTest
    @EnumSource(Viewer.class)
    void restMessagesOfAPrivateRoomAreRefusedToAStranger(Viewer viewer) {
        Secrets secrets = cast.secrets();
        Stranger who = cast.stranger(viewer, secrets);
        int status = viewer.knownToRest ? 403 : 401;
        String expectedCode = viewer.knownToRest ? "not_member" : "unauthorized";
        for (String room : secrets.privateRooms()) {
            for (String spelling : List.of(room, room.toUpperCase(Locale.ROOT))) {
                // both ways of paging: the newest below 'before', and the oldest above 'after'
                for (Map<String, String> query : List.of(Map.<String, String>of(), Map.of("after", "0"))) {
                    String body = body(cast.rest(who, HttpMethod.GET, "/api/rooms/{room}/messages", query, spelling),
                            status);
                    assertThat(json(body).get("code").asString()).as("messages of %s %s", spelling, query)
                            .isEqualTo(expectedCode);
                    assertThat(body).doesNotContain(secrets.marker());
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Viewer.class)
    void publicPresenceAndStatisticsNameNoPrivateRoom(Viewer viewer) {
        Secrets secrets = cast.secrets();
        Stranger who = cast.stranger(viewer, secrets);
        // online users are public presence, and statistics rank public rooms only; a revoked token is still refused
        int status = viewer == Viewer.LOGGED_OUT ? 401 : 200;
        for (String path : List.of("/api/members", "/api/stats")) {
            String body = body(cast.rest(who, HttpMethod.GET, path, Map.of()), status);
            assertNoPrivateName(path, body, secrets);
            if (status == 401) {
                assertThat(json(body).get("code").asString()).isEqualTo("unauthorized");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Viewer.class, names = {"UNAUTHENTICATED", "LOGGED_OUT"})
    void aStrangerWithoutValidCredentialsNeverGetsAWebSocket(Viewer viewer) {
        // a real client this time: the handshake fails, and not one frame arrives
        Stranger who = cast.stranger(viewer, cast.secrets());
        ChatClient client = clients.track(ChatClient.connect(port, who.handshakeQuery()));
        assertThatThrownBy(client::closeStatus).rootCause().hasMessageContaining("401");
        assertThat(client.drain()).isEmpty();
    }

    // --- checks

    /**
     * No frame the stranger received holds a secret text; none but the replies to its own requests
     * (errors that may repeat the name it asked about) names a private room.
     */
    private static void assertSawNothingPrivate(Watched stranger, Secrets secrets) {
        for (JsonNode frame : stranger.everything()) {
            String text = frame.toString();
            assertThat(text).as("a frame the stranger received").doesNotContain(secrets.marker());
            if (!Watched.isReply(frame)) {
                assertNoPrivateName("an unsolicited frame", text, secrets);
            }
        }
    }

    private static void assertNoPrivateName(String where, String text, Secrets secrets) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String room : secrets.privateRooms()) {
            assertThat(lower).as("%s: %s", where, text).doesNotContain(room.toLowerCase(Locale.ROOT));
        }
        assertThat(text).as(where).doesNotContain(secrets.marker());
    }

    /** Reads frames until each expectation was met once, in any order (typing may overtake a message). */
    private static void awaitAll(ChatClient client, List<Predicate<JsonNode>> expectations) {
        List<Predicate<JsonNode>> pending = new ArrayList<>(expectations);
        long deadline = System.nanoTime() + ChatClient.TIMEOUT.toNanos();
        while (!pending.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(pending.size() + " expected frames missing after " + ChatClient.TIMEOUT);
            }
            JsonNode frame = client.next();
            pending.removeIf(expectation -> expectation.test(frame));
        }
    }

    private static JsonNode json(String body) {
        return JSON.readTree(body);
    }
}
