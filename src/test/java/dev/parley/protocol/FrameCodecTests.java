package dev.parley.protocol;

import dev.parley.support.TestProperties;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameCodecTests {
    /** The configured defaults: text 4000, id 64, history 1-200 (default 50), presence_sub 500. */
    private final FrameCodec codec = new FrameCodec(TestProperties.defaults().protocolLimits());
    private final JsonMapper json = JsonMapper.builder().build();

    // --- decoding client frames ---

    @Test
    void decodesSend() {
        assertThat(codec.decode("{\"type\":\"send\",\"room\":\"general\",\"text\":\"hi\",\"id\":\"c1\"}"))
                .isEqualTo(new ClientFrame.Send("c1", "general", "hi"));
    }

    @Test
    void decodesHistoryWithBeforeAndLimit() {
        assertThat(codec.decode("{\"type\":\"history\",\"room\":\"general\",\"before\":1235,\"limit\":20,\"id\":\"h1\"}"))
                .isEqualTo(new ClientFrame.History("h1", "general", 1235L, 20));
    }

    @Test
    void historyWithoutBeforeOrLimitAsksForTheNewestFifty() {
        assertThat(codec.decode("{\"type\":\"history\",\"room\":\"general\"}"))
                .isEqualTo(new ClientFrame.History(null, "general", null, 50));
    }

    @Test
    void decodesResumeKeepingTheRoomOrder() {
        ClientFrame frame = codec.decode(
                "{\"type\":\"resume\",\"after\":{\"general\":1200,\"@alice+bob\":17,\"dev\":0},\"id\":\"r1\"}");

        assertThat(frame).isInstanceOfSatisfying(ClientFrame.Resume.class, resume -> {
            assertThat(resume.id()).isEqualTo("r1");
            assertThat(resume.after()).containsExactly(
                    Map.entry("general", 1200L), Map.entry("@alice+bob", 17L), Map.entry("dev", 0L));
        });
    }

    @Test
    void decodesTheRoomFrames() {
        assertThat(codec.decode("{\"type\":\"create\",\"room\":\"dev\",\"visibility\":\"private\",\"id\":\"c\"}"))
                .isEqualTo(new ClientFrame.Create("c", "dev", Visibility.PRIVATE));
        assertThat(codec.decode("{\"type\":\"rooms\"}")).isEqualTo(new ClientFrame.Rooms(null));
        assertThat(codec.decode("{\"type\":\"join\",\"room\":\"dev\"}")).isEqualTo(new ClientFrame.Join(null, "dev"));
        assertThat(codec.decode("{\"type\":\"leave\",\"room\":\"dev\"}")).isEqualTo(new ClientFrame.Leave(null, "dev"));
        assertThat(codec.decode("{\"type\":\"invite\",\"room\":\"@alice+bob\",\"user\":\"carol\"}"))
                .isEqualTo(new ClientFrame.Invite(null, "@alice+bob", "carol"));
        assertThat(codec.decode("{\"type\":\"dm\",\"to\":\"bob\",\"text\":\" hi \",\"id\":\"d1\"}"))
                .isEqualTo(new ClientFrame.Dm("d1", "bob", "hi"));
    }

    @Test
    void aRoomIsPublicUnlessCreatedPrivate() {
        assertThat(codec.decode("{\"type\":\"create\",\"room\":\"dev\"}"))
                .isEqualTo(new ClientFrame.Create(null, "dev", Visibility.PUBLIC));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"create\",\"room\":\"@alice+bob\",\"id\":\"x\"}",
            "{\"type\":\"create\",\"room\":\"dev\",\"visibility\":\"secret\",\"id\":\"x\"}",
            "{\"type\":\"create\",\"room\":\"dev\",\"visibility\":1,\"id\":\"x\"}",
            "{\"type\":\"create\",\"room\":\"%s\",\"id\":\"x\"}",
            "{\"type\":\"join\",\"id\":\"x\"}",
            "{\"type\":\"invite\",\"room\":\"dev\",\"id\":\"x\"}",
            "{\"type\":\"invite\",\"room\":\"dev\",\"user\":\"no spaces\",\"id\":\"x\"}",
            "{\"type\":\"dm\",\"to\":\"bob\",\"id\":\"x\"}",
            "{\"type\":\"dm\",\"text\":\"hi\",\"id\":\"x\"}",
            "{\"type\":\"dm\",\"to\":\"bob\",\"text\":\"  \",\"id\":\"x\"}"})
    void badRoomFramesAreBadRequestsKeepingTheId(String frame) {
        assertRejected(String.format(frame, "r".repeat(65)), ErrorCode.BAD_REQUEST, "x");
    }

    @Test
    void aRoomNameOf64CharactersIsFineAnd65IsNot() {
        assertThat(codec.decode("{\"type\":\"create\",\"room\":\"" + "r".repeat(64) + "\"}"))
                .isEqualTo(new ClientFrame.Create(null, "r".repeat(64), Visibility.PUBLIC));
        assertRejected("{\"type\":\"join\",\"room\":\"" + "r".repeat(65) + "\",\"id\":\"j\"}",
                ErrorCode.BAD_REQUEST, "j");
    }

    @Test
    void aDmOverTheTextLimitIsTooLarge() {
        assertRejected("{\"type\":\"dm\",\"to\":\"bob\",\"text\":\"" + "x".repeat(4001) + "\",\"id\":\"d\"}",
                ErrorCode.TOO_LARGE, "d");
    }

    @Test
    void conversationNamesAreTheSortedLowercaseNames() {
        assertThat(Names.conversation(List.of("Bob", "alice"))).isEqualTo("@alice+bob");
        assertThat(Names.conversation(List.of("carol", "bob", "Alice"))).isEqualTo("@alice+bob+carol");
        assertThat(Names.participants("@Alice+bob")).containsExactly("alice", "bob");
        assertThat(Names.isValidRoom("@Alice+Bob")).isTrue();
    }

    @Test
    void decodesRead() {
        assertThat(codec.decode("{\"type\":\"read\",\"room\":\"general\",\"seq\":1235}"))
                .isEqualTo(new ClientFrame.Read(null, "general", 1235));
    }

    @Test
    void decodesTyping() {
        assertThat(codec.decode("{\"type\":\"typing\",\"room\":\"general\"}"))
                .isEqualTo(new ClientFrame.Typing(null, "general"));
    }

    @Test
    void decodesPing() {
        assertThat(codec.decode("{\"type\":\"ping\",\"id\":\"p\"}")).isEqualTo(new ClientFrame.Ping("p"));
    }

    @Test
    void decodesPresenceSub() {
        assertThat(codec.decode("{\"type\":\"presence_sub\",\"users\":[\"bob\",\"carol\"]}"))
                .isEqualTo(new ClientFrame.PresenceSub(null, List.of("bob", "carol")));
    }

    @Test
    void nullIdIsNoId() {
        assertThat(codec.decode("{\"type\":\"ping\",\"id\":null}")).isEqualTo(new ClientFrame.Ping(null));
    }

    // --- rejecting frames ---

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"ping\"", "not json", "{type:ping}", "{\"type\":\"ping\",}",
            "{\"type\":\"ping\"}{\"type\":\"ping\"}", "{\"type\":\"ping\"} trailing"})
    void invalidJsonIsABadRequestWithoutId(String frame) {
        assertRejected(frame, ErrorCode.BAD_REQUEST, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[{\"type\":\"ping\"}]", "\"ping\"", "42", "null", "true"})
    void nonObjectIsABadRequestWithoutId(String frame) {
        assertRejected(frame, ErrorCode.BAD_REQUEST, null).hasMessageContaining("JSON object");
    }

    @Test
    void missingTypeIsABadRequestKeepingTheId() {
        assertRejected("{\"id\":\"c1\",\"room\":\"general\"}", ErrorCode.BAD_REQUEST, "c1");
    }

    @Test
    void nonStringTypeIsABadRequestKeepingTheId() {
        assertRejected("{\"id\":\"c1\",\"type\":7}", ErrorCode.BAD_REQUEST, "c1");
    }

    @Test
    void unknownTypeIsABadRequestKeepingTheId() {
        assertRejected("{\"id\":\"c1\",\"type\":\"dance\"}", ErrorCode.BAD_REQUEST, "c1")
                .hasMessageContaining("dance");
    }

    @Test
    void idOfSixtyFourCharactersIsAccepted() {
        String id = "i".repeat(64);

        assertThat(codec.decode("{\"type\":\"ping\",\"id\":\"" + id + "\"}")).isEqualTo(new ClientFrame.Ping(id));
    }

    @Test
    void idLongerThanSixtyFourCharactersIsABadRequestWithoutId() {
        assertRejected("{\"type\":\"ping\",\"id\":\"" + "i".repeat(65) + "\"}", ErrorCode.BAD_REQUEST, null);
    }

    @Test
    void nonStringIdIsABadRequestWithoutId() {
        assertRejected("{\"type\":\"ping\",\"id\":12}", ErrorCode.BAD_REQUEST, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "   \\n\\t  "})
    void blankTextIsABadRequest(String text) {
        assertRejected(send("c1", text), ErrorCode.BAD_REQUEST, "c1");
    }

    @Test
    void missingTextIsABadRequest() {
        assertRejected("{\"type\":\"send\",\"room\":\"general\",\"id\":\"c1\"}", ErrorCode.BAD_REQUEST, "c1");
    }

    @Test
    void textIsTrimmed() {
        assertThat(codec.decode(send("c1", "  \\t hello there \\n ")))
                .isEqualTo(new ClientFrame.Send("c1", "general", "hello there"));
    }

    @Test
    void textOfExactlyFourThousandCodePointsPasses() {
        String text = "a".repeat(3998) + "\uD83D\uDE00\uD83D\uDC4B"; // two emoji: 4000 code points, 4002 chars

        ClientFrame frame = codec.decode(send("c1", text));

        assertThat(((ClientFrame.Send) frame).text()).isEqualTo(text);
    }

    @Test
    void textOfFourThousandEmojiPasses() {
        String text = "\uD83D\uDE00".repeat(4000); // 8000 UTF-16 units

        assertThat(((ClientFrame.Send) codec.decode(send("c1", text))).text()).isEqualTo(text);
    }

    @Test
    void textCountsAfterTrimming() {
        String text = "  " + "a".repeat(4000) + "  ";

        assertThat(((ClientFrame.Send) codec.decode(send("c1", text))).text()).hasSize(4000);
    }

    @Test
    void textOverFourThousandCodePointsIsTooLarge() {
        assertRejected(send("c1", "a".repeat(4001)), ErrorCode.TOO_LARGE, "c1");
    }

    @Test
    void textOverFourThousandEmojiIsTooLarge() {
        assertRejected(send("c1", "\uD83D\uDE00".repeat(4001)), ErrorCode.TOO_LARGE, "c1");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 200})
    void historyLimitAtTheBoundsIsAccepted(int limit) {
        assertThat(codec.decode(history(limit))).isEqualTo(new ClientFrame.History("h1", "general", null, limit));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 201, -1})
    void historyLimitOutsideOneToTwoHundredIsABadRequest(int limit) {
        assertRejected(history(limit), ErrorCode.BAD_REQUEST, "h1");
    }

    @Test
    void historyLimitThatIsNoIntegerIsABadRequest() {
        assertRejected("{\"type\":\"history\",\"room\":\"general\",\"limit\":2.5,\"id\":\"h1\"}",
                ErrorCode.BAD_REQUEST, "h1");
        assertRejected("{\"type\":\"history\",\"room\":\"general\",\"limit\":\"5\",\"id\":\"h1\"}",
                ErrorCode.BAD_REQUEST, "h1");
    }

    @Test
    void negativeHistoryBeforeIsABadRequest() {
        assertRejected("{\"type\":\"history\",\"room\":\"general\",\"before\":-1,\"id\":\"h1\"}",
                ErrorCode.BAD_REQUEST, "h1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "semi;colon", "@alice", "@alice+", "@alice++bob", "\u00e9t\u00e9"})
    void invalidRoomNameIsABadRequestKeepingTheId(String room) {
        assertRejected("{\"type\":\"typing\",\"room\":\"" + room + "\",\"id\":\"t1\"}", ErrorCode.BAD_REQUEST, "t1");
    }

    @Test
    void roomNameOverSixtyFourCharactersIsABadRequest() {
        assertThat(codec.decode("{\"type\":\"typing\",\"room\":\"" + "r".repeat(64) + "\"}"))
                .isEqualTo(new ClientFrame.Typing(null, "r".repeat(64)));
        assertRejected("{\"type\":\"typing\",\"room\":\"" + "r".repeat(65) + "\",\"id\":\"t1\"}",
                ErrorCode.BAD_REQUEST, "t1");
    }

    @Test
    void missingRoomIsABadRequest() {
        assertRejected("{\"type\":\"typing\",\"id\":\"t1\"}", ErrorCode.BAD_REQUEST, "t1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "[]", "\"general\"", "{\"general\":-1}", "{\"general\":\"3\"}",
            "{\"general\":1.5}", "{\"bad room\":3}"})
    void resumeWithEmptyOrInvalidAfterIsABadRequest(String after) {
        assertRejected("{\"type\":\"resume\",\"after\":" + after + ",\"id\":\"r1\"}", ErrorCode.BAD_REQUEST, "r1");
    }

    @Test
    void resumeWithoutAfterIsABadRequest() {
        assertRejected("{\"type\":\"resume\",\"id\":\"r1\"}", ErrorCode.BAD_REQUEST, "r1");
    }

    @Test
    void presenceSubOfFiveHundredNamesIsAccepted() {
        ClientFrame frame = codec.decode(presenceSub(500));

        assertThat(((ClientFrame.PresenceSub) frame).users()).hasSize(500);
    }

    @Test
    void presenceSubOverFiveHundredNamesIsTooLarge() {
        assertRejected(presenceSub(501), ErrorCode.TOO_LARGE, "s1");
    }

    @Test
    void presenceSubWithAnInvalidNameIsABadRequest() {
        assertRejected("{\"type\":\"presence_sub\",\"users\":[\"bob\",\"no way\"],\"id\":\"s1\"}",
                ErrorCode.BAD_REQUEST, "s1");
    }

    // --- encoding server frames ---

    @Test
    void pongWithoutIdLeavesTheIdOut() {
        assertThat(encode(new ServerFrame.Pong(null))).isEqualTo("{\"type\":\"pong\"}");
    }

    @Test
    void pongEchoesTheId() {
        assertThat(encode(new ServerFrame.Pong("p"))).isEqualTo("{\"type\":\"pong\",\"id\":\"p\"}");
    }

    @Test
    void ackWithoutIdLeavesTheIdOut() {
        String encoded = encode(new ServerFrame.Ack(null, "general", 1235L));

        assertThat(encoded).startsWith("{\"type\":\"ack\"").doesNotContain("\"id\"");
        assertThat(tree(encoded).get("seq").asLong()).isEqualTo(1235);
    }

    @Test
    void errorCarriesTheWireCode() {
        ServerFrame.Error error = ServerFrame.Error.of("c1", new ChatException(ErrorCode.NOT_MEMBER, "not yours"));

        JsonNode tree = tree(encode(error));

        assertThat(encode(error)).startsWith("{\"type\":\"error\"");
        assertThat(tree.get("id").asString()).isEqualTo("c1");
        assertThat(tree.get("code").asString()).isEqualTo("not_member");
        assertThat(tree.get("message").asString()).isEqualTo("not yours");
    }

    @Test
    void everyServerFrameStartsWithItsType() {
        ServerFrame.Message message = new ServerFrame.Message("general", 1, "alice", "hi", "2026-11-22T10:00:00.123Z");
        Map<ServerFrame, String> frames = Map.of(
                new ServerFrame.Welcome("alice", false,
                        List.of(new ServerFrame.RoomState("general", 1234, 3, "public")), List.of("alice"), 1),
                FrameTypes.WELCOME,
                new ServerFrame.Ack("c1", "general", 2L), FrameTypes.ACK,
                message, FrameTypes.MESSAGE,
                new ServerFrame.HistoryPage("h1", "general", List.of(message)), FrameTypes.HISTORY,
                new ServerFrame.Resumed("r1", Map.of("general", new ServerFrame.RoomResume(3, false))),
                FrameTypes.RESUMED,
                new ServerFrame.Presence("bob", true), FrameTypes.PRESENCE,
                new ServerFrame.Typing("general", "bob"), FrameTypes.TYPING,
                new ServerFrame.Pong("p"), FrameTypes.PONG,
                new ServerFrame.Error(null, "internal", "oops"), FrameTypes.ERROR);

        frames.forEach((frame, type) ->
                assertThat(encode(frame)).as(frame.getClass().getSimpleName())
                        .startsWith("{\"type\":\"" + type + "\""));
    }

    @Test
    void welcomeCarriesTheContractsFields() {
        JsonNode welcome = tree(encode(new ServerFrame.Welcome("alice", false,
                List.of(new ServerFrame.RoomState("general", 1234, 3, "public")), List.of("alice", "bob"), 2)));

        assertThat(welcome.get("user").asString()).isEqualTo("alice");
        assertThat(welcome.get("guest").asBoolean()).isFalse();
        assertThat(welcome.get("onlineCount").asInt()).isEqualTo(2);
        assertThat(welcome.get("online").toString()).isEqualTo("[\"alice\",\"bob\"]");
        JsonNode room = welcome.get("rooms").get(0);
        assertThat(room.get("room").asString()).isEqualTo("general");
        assertThat(room.get("seq").asLong()).isEqualTo(1234);
        assertThat(room.get("unread").asLong()).isEqualTo(3);
        assertThat(room.get("visibility").asString()).isEqualTo("public");
    }

    @Test
    void messageIsEncodedAsTheContractShowsIt() {
        assertThat(encode(new ServerFrame.Message("general", 1235, "alice", "hi", "2026-11-22T10:00:00.123Z")))
                .isEqualTo("{\"type\":\"message\",\"room\":\"general\",\"seq\":1235,\"from\":\"alice\","
                        + "\"text\":\"hi\",\"ts\":\"2026-11-22T10:00:00.123Z\"}");
    }

    @Test
    void messageKeepsItsTimestampAsGiven() {
        String ts = "2026-11-22T10:00:00.120Z";

        JsonNode message = tree(encode(new ServerFrame.Message("general", 1235, "alice", "hi", ts)));

        assertThat(message.get("ts").asString()).isEqualTo(ts);
        assertThat(message.get("room").asString()).isEqualTo("general");
        assertThat(message.get("seq").asLong()).isEqualTo(1235);
        assertThat(message.get("from").asString()).isEqualTo("alice");
        assertThat(message.get("text").asString()).isEqualTo("hi");
    }

    @Test
    void textIsEncodedAsUtf8() {
        byte[] bytes = codec.encode(new ServerFrame.Message("general", 1, "alice", "h\u00e9 \uD83D\uDE00", "t"));

        assertThat(tree(new String(bytes, StandardCharsets.UTF_8)).get("text").asString())
                .isEqualTo("h\u00e9 \uD83D\uDE00");
    }

    // --- helpers ---

    private AbstractThrowableAssert<?, ? extends Throwable> assertRejected(String frame, ErrorCode code, String id) {
        return assertThatThrownBy(() -> codec.decode(frame))
                .isInstanceOfSatisfying(InvalidFrameException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.id()).isEqualTo(id);
                });
    }

    private static String send(String id, String text) {
        return "{\"type\":\"send\",\"room\":\"general\",\"text\":\"" + text + "\",\"id\":\"" + id + "\"}";
    }

    private static String history(int limit) {
        return "{\"type\":\"history\",\"room\":\"general\",\"limit\":" + limit + ",\"id\":\"h1\"}";
    }

    private static String presenceSub(int names) {
        String users = IntStream.range(0, names).mapToObj(i -> "\"user" + i + "\"")
                .collect(Collectors.joining(","));
        return "{\"type\":\"presence_sub\",\"users\":[" + users + "],\"id\":\"s1\"}";
    }

    private String encode(ServerFrame frame) {
        return new String(codec.encode(frame), StandardCharsets.UTF_8);
    }

    private JsonNode tree(String encoded) {
        return json.readTree(encoded);
    }
}
