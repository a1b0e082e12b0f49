package dev.parley.protocol;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one codec of the WebSocket protocol: JSON text to validated {@link ClientFrame}s,
 * {@link ServerFrame}s to UTF-8 bytes. Thread-safe and allocation-light; a broadcast is
 * encoded once and its bytes shared by every recipient.
 */
public final class FrameCodec {
    private final ObjectMapper mapper = JsonMapper.builder().build();
    private final ProtocolLimits limits;

    public FrameCodec(ProtocolLimits limits) {
        this.limits = limits;
        warmUp();
    }

    /**
     * Builds Jackson's (de)serializers now. Jackson creates them on first use under a lock,
     * and a contended lock would park an event loop; after this the event loops only read
     * Jackson's caches.
     */
    private void warmUp() {
        ServerFrame.Message message = new ServerFrame.Message("r", 1, "u", "t", "2026-01-01T00:00:00.000Z");
        List<ServerFrame> samples = List.of(
                new ServerFrame.Welcome("u", true, List.of(new ServerFrame.RoomState("r", 1, 0, "public")), List.of("u"), 1),
                new ServerFrame.Ack("i", "r", 1L), message, new ServerFrame.HistoryPage("i", "r", List.of(message)),
                new ServerFrame.Resumed("i", Map.of("r", new ServerFrame.RoomResume(1, false))),
                new ServerFrame.Presence("u", true), new ServerFrame.Typing("r", "u"), new ServerFrame.Pong("i"),
                new ServerFrame.Error("i", "c", "m"), new ServerFrame.Joined("i", "r", "u", List.of("u"), 1L),
                new ServerFrame.Left("i", "r", "u"), new ServerFrame.Invited("r", "u"), new ServerFrame.RoomDeleted("r"),
                new ServerFrame.RoomList("i", List.of(new ServerFrame.RoomSummary("r", "public", 1, true))));
        samples.forEach(this::encode);
        mapper.readTree("{\"type\":\"ping\",\"after\":{\"r\":1},\"users\":[\"u\"]}");
    }

    public ProtocolLimits limits() {
        return limits;
    }

    public byte[] encode(ServerFrame frame) {
        return mapper.writeValueAsBytes(frame);
    }

    /**
     * Decodes one text frame.
     *
     * @throws InvalidFrameException with {@code bad_request} or {@code too_large}, carrying the frame's id when readable
     */
    public ClientFrame decode(String text) {
        return decode(parse(text, "frame"));
    }

    /**
     * Decodes a REST request as the frame of the given type: one set of rules for both doors. An
     * empty body is an empty object; {@code type}, and {@code room} when given (it comes from the
     * path), override the body's.
     */
    public ClientFrame decode(String type, String body, String room) {
        ObjectNode root = body == null || body.isBlank() ? mapper.createObjectNode() : parse(body, "body");
        root.put("type", type);
        if (room != null) {
            root.put("room", room);
        }
        return decode(root);
    }

    private ObjectNode parse(String text, String what) {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JacksonException e) {
            throw new InvalidFrameException(ErrorCode.BAD_REQUEST, what + " is not valid JSON", null);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidFrameException(ErrorCode.BAD_REQUEST, what + " must be a JSON object", null);
        }
        return (ObjectNode) root;
    }

    private ClientFrame decode(ObjectNode root) {
        String id = readId(root);
        JsonNode type = root.get("type");
        if (type == null || !type.isString()) {
            throw new InvalidFrameException(ErrorCode.BAD_REQUEST, "frame needs a string 'type'", id);
        }
        return switch (type.asString()) {
            case FrameTypes.SEND -> new ClientFrame.Send(id, room(root, id), text(root, id));
            case FrameTypes.HISTORY -> history(root, id);
            case FrameTypes.RESUME -> new ClientFrame.Resume(id, after(root, id));
            case FrameTypes.READ -> new ClientFrame.Read(id, room(root, id), seq(root, "seq", id));
            case FrameTypes.TYPING -> new ClientFrame.Typing(id, room(root, id));
            case FrameTypes.PING -> new ClientFrame.Ping(id);
            case FrameTypes.PRESENCE_SUB -> new ClientFrame.PresenceSub(id, users(root, id));
            case FrameTypes.CREATE -> create(root, id);
            case FrameTypes.ROOMS -> new ClientFrame.Rooms(id);
            case FrameTypes.JOIN -> new ClientFrame.Join(id, room(root, id));
            case FrameTypes.LEAVE -> new ClientFrame.Leave(id, room(root, id));
            case FrameTypes.INVITE -> new ClientFrame.Invite(id, room(root, id), user(root, "user", id));
            case FrameTypes.DM -> new ClientFrame.Dm(id, user(root, "to", id), text(root, id));
            default -> throw new InvalidFrameException(ErrorCode.BAD_REQUEST,
                    "unknown frame type '" + abbreviate(type.asString()) + "'", id);
        };
    }

    private String readId(JsonNode root) {
        JsonNode id = root.get("id");
        if (id == null || id.isNull()) {
            return null;
        }
        if (!id.isString()) {
            throw new InvalidFrameException(ErrorCode.BAD_REQUEST, "'id' must be a string", null);
        }
        String value = id.asString();
        if (value.length() > limits.idMax()) {
            throw new InvalidFrameException(ErrorCode.BAD_REQUEST,
                    "'id' is longer than " + limits.idMax() + " characters", null);
        }
        return value;
    }

    private ClientFrame.History history(JsonNode root, String id) {
        String room = room(root, id);
        Long before = root.hasNonNull("before") ? seq(root, "before", id) : null;
        int limit = limits.historyDefault();
        if (root.hasNonNull("limit")) {
            JsonNode node = root.get("limit");
            if (!node.isIntegralNumber() || !node.canConvertToInt()
                    || node.asInt() < 1 || node.asInt() > limits.historyMax()) {
                throw new InvalidFrameException(ErrorCode.BAD_REQUEST,
                        "'limit' must be an integer from 1 to " + limits.historyMax(), id);
            }
            limit = node.asInt();
        }
        return new ClientFrame.History(id, room, before, limit);
    }

    private ClientFrame.Create create(JsonNode root, String id) {
        String room = room(root, id);
        if (!Names.isValidNewRoom(room)) {
            throw new InvalidFrameException(ErrorCode.BAD_REQUEST,
                    "room names starting with @ are reserved for private conversations", id);
        }
        JsonNode node = root.get("visibility");
        Visibility visibility = Visibility.PUBLIC;
        if (node != null && !node.isNull()) {
            visibility = node.isString() ? Visibility.fromWire(node.asString()) : null;
            if (visibility == null) {
                throw new InvalidFrameException(ErrorCode.BAD_REQUEST, "'visibility' must be 'public' or 'private'", id);
            }
        }
        return new ClientFrame.Create(id, room, visibility);
    }

    private String user(JsonNode root, String field, String id) {
        JsonNode user = root.get(field);
        if (user == null || !user.isString() || !Names.isValidUser(user.asString())) {
            throw new InvalidFrameException(ErrorCode.BAD_REQUEST,
                    "'" + field + "' must be a user name: " + Names.USER_RULE, id);
        }
        return user.asString();
    }

    private Map<String, Long> after(JsonNode root, String id) {
        JsonNode after = root.get("after");
        if (after == null || !after.isObject() || after.isEmpty()) {
            throw new InvalidFrameException(ErrorCode.BAD_REQUEST,
                    "'after' must be an object of room names to sequence numbers", id);
        }
        Map<String, Long> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : after.properties()) {
            requireRoomName(entry.getKey(), id);
            JsonNode seq = entry.getValue();
            if (!seq.isIntegralNumber() || !seq.canConvertToLong() || seq.asLong() < 0) {
                throw new InvalidFrameException(ErrorCode.BAD_REQUEST,
                        "'after' values must be sequence numbers (integers >= 0)", id);
            }
            result.put(entry.getKey(), seq.asLong());
        }
        return Collections.unmodifiableMap(result);
    }

    private List<String> users(JsonNode root, String id) {
        JsonNode users = root.get("users");
        if (users == null || !users.isArray()) {
            throw new InvalidFrameException(ErrorCode.BAD_REQUEST, "'users' must be an array of names", id);
        }
        if (users.size() > limits.presenceSubMax()) {
            throw new InvalidFrameException(ErrorCode.TOO_LARGE,
                    "'users' may name at most " + limits.presenceSubMax() + " users", id);
        }
        List<String> names = new ArrayList<>(users.size());
        for (JsonNode user : users) {
            if (!user.isString() || !Names.isValidUser(user.asString())) {
                throw new InvalidFrameException(ErrorCode.BAD_REQUEST, "'users' holds an invalid user name", id);
            }
            names.add(user.asString());
        }
        return List.copyOf(names);
    }

    private String room(JsonNode root, String id) {
        JsonNode room = root.get("room");
        if (room == null || !room.isString()) {
            throw new InvalidFrameException(ErrorCode.BAD_REQUEST, "frame needs a string 'room'", id);
        }
        requireRoomName(room.asString(), id);
        return room.asString();
    }

    private void requireRoomName(String room, String id) {
        if (!Names.isValidRoom(room)) {
            throw new InvalidFrameException(ErrorCode.BAD_REQUEST,
                    "invalid room name '" + abbreviate(room) + "'", id);
        }
    }

    private String text(JsonNode root, String id) {
        JsonNode node = root.get("text");
        if (node == null || !node.isString()) {
            throw new InvalidFrameException(ErrorCode.BAD_REQUEST, "frame needs a string 'text'", id);
        }
        return MessageText.validate(node.asString(), limits.textMax(), id);
    }

    private long seq(JsonNode root, String field, String id) {
        JsonNode node = root.get(field);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
            throw new InvalidFrameException(ErrorCode.BAD_REQUEST,
                    "'" + field + "' must be a sequence number (integer >= 0)", id);
        }
        return node.asLong();
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
