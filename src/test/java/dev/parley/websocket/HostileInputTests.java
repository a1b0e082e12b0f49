package dev.parley.websocket;

import dev.parley.protocol.ErrorCode;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.Frames;
import dev.parley.support.HostileInput;
import dev.parley.support.HostileInput.Vocabulary;
import dev.parley.support.ParleyTest;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.parley.support.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and mutated input against the running server, through every door: WebSocket frames (text and
 * binary), REST bodies, paths and query strings, and handshake query strings. Whatever arrives, the
 * answer is one the contract names (an error frame, a 4xx with the JSON error body, a refused
 * handshake), no connection dies and the server keeps answering. Inputs are drawn with a fixed seed
 * (set {@code -Dparley.fuzz.seed=N} for others), so a failure replays; the seed is in every failure message.
 */
@ParleyTest
class HostileInputTests {
    private static final long SEED = Long.getLong("parley.fuzz.seed", 20261122L);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> ERROR_CODES = Arrays.stream(ErrorCode.values()).map(ErrorCode::wire)
            .collect(Collectors.toUnmodifiableSet());
    private static final Set<String> SERVER_TYPES = Set.of("welcome", "ack", "message", "history", "resumed",
            "presence", "typing", "pong", "error", "joined", "left", "invited", "room_deleted", "rooms");
    /** The HTTP statuses the contract names, with the codes each may carry. */
    private static final Map<Integer, Set<String>> CODES_BY_STATUS = Map.of(
            400, Set.of("bad_request"), 401, Set.of("unauthorized"), 403, Set.of("forbidden", "not_member"),
            404, Set.of("no_such_room", "no_such_user"), 409, Set.of("room_exists", "name_taken"),
            413, Set.of("too_large"), 429, Set.of("rate_limited"));
    /** Below the 64 KiB frame limit, which closes a connection as the contract says (tested elsewhere). */
    private static final int FRAME_MAX = 60_000;

    @LocalServerPort
    int port;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    @BeforeAll
    static void printSeed() {
        System.out.println("HostileInputTests seed " + SEED);
    }

    @Test
    void randomFramesNeverKillAConnection() {
        ChatClient hostile = clients.welcomedGuest(port, "hostile-ws");
        // frames may be valid requests: in rooms of this test only (not general, which other tests share and
        // whose whole history a resume would replay), to no real user
        assertThat(hostile.call(frame("create", "room", "hws-a")).path("type").asString()).isEqualTo("ack");
        Vocabulary words = new Vocabulary(List.of("hws-a", "hws-b"), List.of("hws-a", "hws-b", "hws-c"),
                List.of("hws-nobody", "hws-nobody-2"));
        List<String> frames = HostileInput.draw(Arbitraries.frequencyOf(
                        Tuple.of(1, HostileInput.validFrames(words)),
                        Tuple.of(4, HostileInput.mutatedFrames(words)),
                        Tuple.of(2, HostileInput.randomText())), 2000, SEED).stream()
                .filter(frame -> frame.getBytes(StandardCharsets.UTF_8).length <= FRAME_MAX)
                .toList();

        int batchSize = 200;
        int cutOff = 0;
        for (int from = 0; from < frames.size(); from += batchSize) {
            frames.subList(from, Math.min(frames.size(), from + batchSize)).forEach(hostile::sendText);
            // the pong proves the connection answers; replies to the batch arrive before it or with the next one
            String batch = "seed " + SEED + ", frames from " + from;
            String sync = "sync-" + from;
            hostile.send(frame("ping", "id", sync));
            JsonNode reply;
            while ((reply = hostile.nextOrClosed()) != null && !sync.equals(reply.path("id").asString())) {
                assertIsAFrameOfTheContract(reply, batch);
            }
            if (reply == null) {
                // the one way the contract lets it die here: a burst of big messages (4,000 characters of
                // escapes each) and history pages beyond the outbound buffer cut off a slow consumer
                assertThat(hostile.closeStatus().code()).as(batch + ": closed only as the contract says")
                        .isEqualTo(4000);
                hostile = clients.welcomedGuest(port, "hostile-ws-" + ++cutOff);
            }
        }
        System.out.println("HostileInputTests: cut off as a slow consumer " + cutOff + " times");
        assertThat(cutOff).as("cut off as a slow consumer now and then, not every batch").isLessThan(5);

        assertThat(frames).hasSizeGreaterThan(1900);
        assertServerStillAnswers();
    }

    @Test
    void binaryFramesGetBadRequestAndTheConnectionStays() {
        ChatClient hostile = clients.welcomedGuest(port, "hostile-bin");
        Arbitrary<byte[]> payloads = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.bytes().array(byte[].class).ofMaxSize(2000)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(50_000).ofMaxSize(FRAME_MAX)),
                // a valid frame as binary is still binary
                Tuple.of(1, Arbitraries.just("{\"type\":\"ping\",\"id\":\"binary\"}"
                        .getBytes(StandardCharsets.UTF_8))));
        List<byte[]> binaries = HostileInput.draw(payloads, 100, SEED);

        for (int i = 0; i < binaries.size(); i++) {
            hostile.sendBinary(binaries.get(i));
            hostile.send(frame("ping", "id", "between-" + i));
        }

        int errors = 0;
        int pongs = 0;
        while (errors < binaries.size() || pongs < binaries.size()) {
            JsonNode reply = hostile.next();
            assertIsAFrameOfTheContract(reply, "seed " + SEED);
            if ("error".equals(reply.path("type").asString())) {
                assertThat(reply.get("code").asString()).as("seed %d: %s", SEED, reply).isEqualTo("bad_request");
                errors++;
            } else if ("pong".equals(reply.path("type").asString())) {
                assertThat(reply.get("id").asString()).as("the binary ping is not answered").startsWith("between-");
                pongs++;
            }
        }
        assertThat(hostile.isClosed()).isFalse();
        assertServerStillAnswers();
    }

    @Test
    void randomRestBodiesPathsAndQueriesGetA2xxOrTheContracts4xx() {
        String token = clients.token(port, "hostile-rest");
        Vocabulary words = new Vocabulary(List.of("general", "hrest-a", "hrest-b"), List.of("hrest-a", "hrest-b"),
                List.of("hostile-rest", "hrest-nobody"));
        List<String> rooms = HostileInput.draw(HostileInput.names(words.rooms()).map(room -> clip(room, 70)), 300,
                SEED + 1);
        List<String> contentTypes = HostileInput.draw(contentTypes(), 350, SEED + 2);
        List<byte[]> createBodies = HostileInput.draw(bodies(words, "create"), 200, SEED + 3);
        List<byte[]> inviteBodies = HostileInput.draw(bodies(words, "invite"), 150, SEED + 4);
        List<List<String[]>> queries = HostileInput.draw(historyParameters(), 150, SEED + 5);
        Map<String, String> bearer = Map.of(HttpHeaderNames.AUTHORIZATION.toString(), "Bearer " + token);

        for (int i = 0; i < createBodies.size(); i++) {
            assertAnswersCleanly(exchange(HttpMethod.POST, "/api/rooms", withContentType(bearer, contentTypes.get(i)),
                    createBodies.get(i)));
        }
        for (int i = 0; i < inviteBodies.size(); i++) {
            String room = rooms.get(i);
            String path = "/api/rooms/" + UriUtils.encodePathSegment(room, StandardCharsets.UTF_8) + "/invite";
            assertAnswersCleanly(exchange(HttpMethod.POST, path, withContentType(bearer, contentTypes.get(200 + i)),
                    inviteBodies.get(i)));
        }
        for (int i = 0; i < queries.size(); i++) {
            String room = rooms.get(150 + i);
            String path = "/api/rooms/" + UriUtils.encodePathSegment(room, StandardCharsets.UTF_8) + "/messages"
                    + query(queries.get(i));
            assertAnswersCleanly(exchange(HttpMethod.GET, path, bearer, null));
        }
        assertServerStillAnswers();
    }

    @Test
    void randomHandshakeQueriesAreUpgradedOrRefusedCleanly() {
        String registered = "hostile-member";
        clients.token(port, registered);
        ChatClient online = clients.welcomedGuest(port, "hostile-online");
        // names in use (409), then fresh valid names and whatever else a client may type
        List<String> nicknames = new ArrayList<>(List.of(registered, "HOSTILE-online"));
        nicknames.addAll(HostileInput.draw(Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().ofLength(10).map(name -> "hg-" + name),
                HostileInput.names(List.of("hostile-guest")).map(name -> clip(name, 40))), 330, SEED + 10));
        List<List<String[]>> extras = HostileInput.draw(extraParameters(), nicknames.size(), SEED + 11);
        Set<String> used = new HashSet<>();

        int handshakes = 0;
        int upgraded = 0;
        for (int i = 0; i < nicknames.size(); i++) {
            List<String[]> parameters = new ArrayList<>(extras.get(i));
            parameters.add(i % (parameters.size() + 1), new String[]{"nickname", nicknames.get(i)});
            // the server reads the first one
            String nickname = parameters.stream().filter(p -> "nickname".equals(p[0])).findFirst().orElseThrow()[1];
            // each nickname once: a guest that just left may still be online for a moment (409)
            if (!used.add(nickname.toLowerCase(Locale.ROOT))) {
                continue;
            }
            handshakes++;
            if (handshake(parameters, nickname)) {
                upgraded++;
            }
        }

        assertThat(handshakes).isGreaterThan(250);
        assertThat(upgraded).as("seed %d: some random nicknames are fine", SEED).isPositive();
        online.send(frame("ping", "id", "online"));
        assertThat(online.expect("pong").get("id").asString()).isEqualTo("online");
        assertServerStillAnswers();
    }

    /**
     * One handshake: upgraded with a welcome for the nickname (true), or refused before the upgrade as the
     * contract says (false).
     */
    private boolean handshake(List<String[]> parameters, String nickname) {
        String query = query(parameters);
        String what = "seed " + SEED + ", /ws" + query;
        String welcome;
        try {
            welcome = HttpClient.create().websocket().uri("ws://localhost:" + port + "/ws" + query)
                    .handle((in, out) -> in.receive().asString(StandardCharsets.UTF_8).take(1))
                    .next().block(ChatClient.TIMEOUT);
        } catch (WebSocketClientHandshakeException e) {
            int refused = e.response().status().code();
            assertThat(refused).as(what).isIn(400, 401, 409);
            // the same request without a key is refused the same way, and shows the refusal's body
            Answer answer = exchange(HttpMethod.GET, "/ws" + query, Map.of(HttpHeaderNames.UPGRADE.toString(),
                    "websocket", HttpHeaderNames.CONNECTION.toString(), "Upgrade"), null);
            assertThat(answer.status()).as(what).isEqualTo(refused);
            assertAnswersCleanly(answer);
            return false;
        } catch (RuntimeException e) {
            throw new AssertionError(what, e);
        }
        JsonNode frame = JSON.readTree(welcome);
        assertThat(frame.path("type").asString()).as(what).isEqualTo("welcome");
        assertThat(frame.path("user").asString()).as(what).isEqualTo(nickname);
        assertThat(frame.path("guest").asBoolean()).as(what).isTrue();
        return true;
    }

    // --- inputs ---

    /** Request bodies: frames of the endpoint's type, mutated or not, random text, random bytes, nothing. */
    private static Arbitrary<byte[]> bodies(Vocabulary words, String type) {
        Arbitrary<String> text = Arbitraries.frequencyOf(
                Tuple.of(1, HostileInput.validFrames(words, type)),
                Tuple.of(4, HostileInput.mutatedFrames(words, type)),
                Tuple.of(2, HostileInput.randomText()));
        return Arbitraries.frequencyOf(
                Tuple.of(10, text.map(body -> body.getBytes(StandardCharsets.UTF_8))),
                // not UTF-8 at all
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(500)),
                Tuple.of(1, Arbitraries.just(new byte[0])));
    }

    /** Content types: JSON, other real ones, broken ones, none (null). */
    private static Arbitrary<String> contentTypes() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("application/json", "application/json; charset=utf-8")),
                Tuple.of(3, Arbitraries.of("text/plain", "application/xml", "application/octet-stream",
                        "application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=x",
                        "*/*", "application/*", "application/json; charset=utf-16",
                        "application/json; charset=nonsense", "application/json;charset=\"", "foo", "/", ";;;",
                        "application/json, text/plain", "")),
                Tuple.of(2, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40)))
                .injectNull(0.1);
    }

    /** {@code before}, {@code after} and {@code limit} with any values, doubled, left out, or beside others. */
    private static Arbitrary<List<String[]>> historyParameters() {
        Arbitrary<String> name = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("before", "after", "limit")),
                Tuple.of(1, HostileInput.strings()));
        Arbitrary<String> value = Arbitraries.frequencyOf(
                Tuple.of(3, HostileInput.numbers()),
                Tuple.of(2, Arbitraries.of("", "0", "1", "50", "200", "201", "-1", " 1", "1 ", "0x1", "1_000")),
                Tuple.of(2, HostileInput.strings()));
        return Combinators.combine(name, value).as((n, v) -> new String[]{clip(n, 40), clip(v, 40)})
                .list().ofMaxSize(4);
    }

    /** Query parameters beside the nickname: a second nickname, a bogus token, anything. */
    private static Arbitrary<List<String[]>> extraParameters() {
        Arbitrary<String> name = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of("nickname", "access_token", "user", "id", "", "x")),
                Tuple.of(1, HostileInput.strings()));
        return Combinators.combine(name, HostileInput.strings()).as((n, v) -> new String[]{clip(n, 40), clip(v, 40)})
                .list().ofMaxSize(3);
    }

    // --- checks ---

    private static void assertIsAFrameOfTheContract(JsonNode frame, String what) {
        assertThat(frame.isObject()).as("%s: %s", what, frame).isTrue();
        assertThat(frame.path("type").asString()).as("%s: %s", what, frame).isIn(SERVER_TYPES);
        if ("error".equals(frame.get("type").asString())) {
            // internal means an exception nobody foresaw: the very thing hostile input hunts for
            assertThat(frame.path("code").asString()).as("%s: %s", what, frame)
                    .isIn(ERROR_CODES).isNotEqualTo("internal");
            assertThat(frame.path("message").asString()).as("%s: %s", what, frame).isNotBlank();
        }
    }

    /** 2xx, or a 4xx with the contract's {@code {"code","message"}}; never a 5xx. */
    private static void assertAnswersCleanly(Answer answer) {
        String what = "seed " + SEED + ", " + answer;
        assertThat(answer.status() / 100).as(what).isIn(2, 4);
        if (answer.status() < 400) {
            return;
        }
        assertThat(answer.contentType()).as(what).startsWith("application/json");
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("code").asString()).as(what)
                .isIn(CODES_BY_STATUS.getOrDefault(answer.status(), ERROR_CODES));
        assertThat(body.path("message").asString()).as(what).isNotBlank();
    }

    /**
     * At most so many characters: URL parts stay short enough for the request line to keep within Netty's 4 KiB
     * limit (beyond it, Netty answers 414 before any of the application runs).
     */
    private static String clip(String value, int length) {
        return value.length() <= length ? value : value.substring(0, length);
    }

    /** A query string, every name and value percent-encoded: what a careful client sends, whatever the values. */
    private static String query(List<String[]> parameters) {
        return parameters.isEmpty() ? "" : parameters.stream().map(p -> UriUtils.encode(p[0], StandardCharsets.UTF_8)
                + "=" + UriUtils.encode(p[1], StandardCharsets.UTF_8)).collect(Collectors.joining("&", "?", ""));
    }

    /** A new guest is still welcomed and answered. */
    private void assertServerStillAnswers() {
        ChatClient fresh = clients.welcomedGuest(port, "fresh-" + UUID.randomUUID().toString().substring(0, 8));
        fresh.send(frame("ping", "id", "still-there"));
        assertThat(fresh.expect("pong").get("id").asString()).isEqualTo("still-there");
    }

    // --- raw HTTP: the test client must not tidy up what it sends ---

    private record Answer(String request, int status, String contentType, String body) {
        @Override
        public String toString() {
            return request + " -> " + status + " " + contentType + " " + body;
        }
    }

    private static Map<String, String> withContentType(Map<String, String> headers, String contentType) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (contentType != null) {
            all.put(HttpHeaderNames.CONTENT_TYPE.toString(), contentType);
        }
        return all;
    }

    private Answer exchange(HttpMethod method, String path, Map<String, String> headers, byte[] body) {
        String shown = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        String request = method + " " + path + " " + headers.getOrDefault(HttpHeaderNames.CONTENT_TYPE.toString(), "")
                + " " + (shown.length() > 300 ? shown.substring(0, 300) + "..." : shown);
        HttpClient.RequestSender sender = HttpClient.create().baseUrl("http://localhost:" + port)
                .headers(h -> headers.forEach(h::set))
                .request(method).uri(path);
        HttpClient.ResponseReceiver<?> receiver = body == null ? sender
                : sender.send(ByteBufFlux.fromInbound(Mono.just(body), ByteBufAllocator.DEFAULT));
        return receiver.responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .map(text -> new Answer(request, response.status().code(),
                                response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE), text)))
                .block(ChatClient.TIMEOUT);
    }
}
