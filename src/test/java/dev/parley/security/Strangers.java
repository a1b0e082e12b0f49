package dev.parley.security;

import dev.parley.support.Accounts;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.parley.support.Frames.frame;
import static dev.parley.support.Frames.framesUntilPong;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cast of {@link NoLeakTests}: the secrets an owner and a member keep in a private room and a
 * conversation, and strangers of each kind who try to read them. The context and its store are
 * shared with other test classes, so every set-up uses names of its own.
 */
final class Strangers {
    private static final AtomicInteger SCENARIOS = new AtomicInteger();

    private final int port;
    private final ChatClients clients;

    Strangers(int port, ChatClients clients) {
        this.port = port;
        this.clients = clients;
    }

    /** Who tries the doors, and what it holds: a connection, an identity REST knows. */
    enum Viewer {
        /** A registered user outside the rooms: connects, and REST knows who it is (so 403, not 401). */
        NON_MEMBER(true, true),
        /** A guest by nickname: connects; a nickname proves nothing to REST (401). */
        GUEST(true, false),
        /** No credentials at all: no WebSocket (401 before the upgrade), 401 on every private REST read. */
        UNAUTHENTICATED(false, false),
        /**
         * The member's own token after {@code POST /api/auth/logout}. It read the secrets a moment
         * before, so anything it still reaches is a real leak. A revoked bearer is refused (401)
         * everywhere under {@code /api}, public endpoints included: it is not downgraded to anonymous.
         */
        LOGGED_OUT(false, false);

        final boolean connects;
        final boolean knownToRest;

        Viewer(boolean connects, boolean knownToRest) {
            this.connects = connects;
            this.knownToRest = knownToRest;
        }
    }

    /** One set-up's private rooms and the people in them; {@code marker} is in every secret text. */
    record Secrets(String prefix, String owner, String member, String room, String conversation,
                   String marker, ChatClient ownerSocket, ChatClient memberSocket) {
        List<String> privateRooms() {
            return List.of(room, conversation);
        }
    }

    /**
     * A stranger as it presents itself: its name (null when it has none), its WebSocket handshake
     * query, and its bearer token (null when it has none).
     */
    record Stranger(Viewer kind, String name, String handshakeQuery, String token) {
    }

    /**
     * A stranger's connection that keeps every frame it received, its welcome included, so that
     * nothing slips past the final check unseen.
     */
    static final class Watched {
        final ChatClient client;
        final JsonNode welcome;
        private final List<JsonNode> seen = new ArrayList<>();
        private int asked;

        Watched(ChatClient client) {
            this.client = client;
            this.welcome = client.welcome();
            seen.add(welcome);
        }

        /** Sends a request and returns its reply, keeping whatever came before it. */
        JsonNode ask(Map<String, ?> request) {
            String id = "ask-" + ++asked;
            Map<String, Object> withId = new LinkedHashMap<>(request);
            withId.put("id", id);
            client.send(withId);
            long deadline = System.nanoTime() + ChatClient.TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode next = client.next();
                seen.add(next);
                if (id.equals(next.path("id").asString())) {
                    return next;
                }
            }
            throw new AssertionError("no reply to " + withId + " within " + ChatClient.TIMEOUT);
        }

        /** Everything received, up to a ping barrier: whatever was on its way has arrived. */
        List<JsonNode> everything() {
            seen.addAll(framesUntilPong(client));
            return List.copyOf(seen);
        }

        /** A reply to one of its own requests (which may repeat the room name it asked about). */
        static boolean isReply(JsonNode frame) {
            return frame.path("id").asString().startsWith("ask-");
        }
    }

    /** A private room with an invited member, and a conversation, each holding secret texts. */
    Secrets secrets() {
        String prefix = "nl" + SCENARIOS.incrementAndGet();
        String owner = prefix + "-owner";
        String member = prefix + "-member";
        String room = prefix + "-Secret";
        String marker = "secret-" + UUID.randomUUID();
        ChatClient ownerSocket = clients.welcomedUser(port, owner);
        ChatClient memberSocket = clients.welcomedUser(port, member);
        replied(ownerSocket.call(frame("create", "room", room, "visibility", "private")), "ack");
        replied(ownerSocket.call(frame("invite", "room", room, "user", member)), "ack");
        replied(memberSocket.call(frame("join", "room", room)), "joined");
        replied(ownerSocket.call(frame("send", "room", room, "text", marker + " in the room")), "ack");
        replied(memberSocket.call(frame("send", "room", room, "text", marker + " answered")), "ack");
        JsonNode dm = replied(ownerSocket.call(frame("dm", "to", member, "text", marker + " in private")), "ack");
        String conversation = dm.get("room").asString();
        return new Secrets(prefix, owner, member, room, conversation, marker, ownerSocket, memberSocket);
    }

    Stranger stranger(Viewer viewer, Secrets secrets) {
        return switch (viewer) {
            case NON_MEMBER -> {
                String name = secrets.prefix() + "-outsider";
                yield new Stranger(viewer, name, clients.userQuery(port, name), clients.token(port, name));
            }
            case GUEST -> {
                String name = secrets.prefix() + "-guest";
                yield new Stranger(viewer, name, "nickname=" + name, null);
            }
            case UNAUTHENTICATED -> new Stranger(viewer, null, "", null);
            case LOGGED_OUT -> {
                String token = loggedOutToken(secrets);
                yield new Stranger(viewer, secrets.member(), "access_token=" + token, token);
            }
        };
    }

    /**
     * The stranger's connection, past its welcome; or, for one that may not connect, null once its
     * handshake was seen refused with 401 before the upgrade (a complete handshake, so that nothing
     * but the missing identity could refuse it).
     */
    Watched connect(Stranger stranger) {
        if (stranger.kind().connects) {
            return new Watched(clients.track(ChatClient.connect(port, stranger.handshakeQuery())));
        }
        String query = stranger.handshakeQuery().isEmpty() ? "" : "?" + stranger.handshakeQuery();
        Accounts.http(port).get().uri("/ws" + query)
                .header(HttpHeaders.UPGRADE, "websocket").header(HttpHeaders.CONNECTION, "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("unauthorized");
        return null;
    }

    /**
     * A request as the stranger makes it: with its bearer token if it has one, and for a guest with
     * its nickname, which must prove nothing.
     */
    WebTestClient.ResponseSpec rest(Stranger stranger, HttpMethod method, String path, Map<String, String> query,
                                    Object... variables) {
        WebTestClient.RequestBodySpec request = Accounts.http(port).method(method).uri(builder -> {
            builder.path(path);
            query.forEach(builder::queryParam);
            if (stranger.kind() == Viewer.GUEST) {
                builder.queryParam("nickname", stranger.name());
            }
            return builder.build(variables);
        });
        if (stranger.token() != null) {
            request = request.header(HttpHeaders.AUTHORIZATION, Accounts.bearer(stranger.token()));
        }
        return request.exchange();
    }

    /** The body of a JSON response with this status ("" when it has none). */
    static String body(WebTestClient.ResponseSpec response, int status) {
        String body = response.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        return body == null ? "" : body;
    }

    /** A second login of the member, shown to read the secrets, then logged out. */
    private String loggedOutToken(Secrets secrets) {
        String token = Accounts.token(port, secrets.member());
        assertThat(body(Accounts.get(port, token, "/api/rooms/{room}/messages", secrets.room()).exchange(), 200))
                .as("valid before the logout").contains(secrets.marker());
        Accounts.http(port).post().uri("/api/auth/logout").header(HttpHeaders.AUTHORIZATION, Accounts.bearer(token))
                .exchange().expectStatus().isNoContent();
        Accounts.get(port, token, "/api/auth/me").exchange().expectStatus().isUnauthorized();
        return token;
    }

    private static JsonNode replied(JsonNode reply, String type) {
        assertThat(reply.get("type").asString()).as("set-up reply %s", reply).isEqualTo(type);
        return reply;
    }
}
