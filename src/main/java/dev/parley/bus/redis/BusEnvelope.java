package dev.parley.bus.redis;

import dev.parley.bus.RoomMessage;
import dev.parley.protocol.ServerFrame;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;

/**
 * What travels on a room's Redis channel: the sending node's id on the first line, the room's {@code createdAt} on the
 * second, then the message frame exactly as its clients get it (JSON has no raw line break), so a receiving node
 * reads its fields and shares its bytes.
 */
final class BusEnvelope {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private BusEnvelope() {
    }

    /** Makes the tree reader's deserializer now: Jackson makes it under a lock at first use, not on an event loop. */
    static void warmUp() {
        message("node\n1\n{\"type\":\"message\",\"room\":\"r\",\"seq\":1,\"from\":\"u\",\"text\":\"t\",\"ts\":\"x\"}");
    }

    static String of(String node, RoomMessage message) {
        return node + '\n' + message.roomCreatedAt() + '\n' + new String(message.json(), StandardCharsets.UTF_8);
    }

    /** The sending node's id. */
    static String node(String envelope) {
        int end = envelope.indexOf('\n');
        return end < 0 ? envelope : envelope.substring(0, end);
    }

    /** The message, as heard now. */
    static RoomMessage message(String envelope) {
        int createdAt = envelope.indexOf('\n') + 1;
        int body = envelope.indexOf('\n', createdAt) + 1;
        long roomCreatedAt = Long.parseLong(envelope, createdAt, body - 1, 10);
        String json = envelope.substring(body);
        JsonNode frame = JSON.readTree(json);
        ServerFrame.Message message = new ServerFrame.Message(frame.get("room").asString(), frame.get("seq").asLong(),
                frame.get("from").asString(), frame.get("text").asString(), frame.get("ts").asString());
        return new RoomMessage(message, json.getBytes(StandardCharsets.UTF_8), System.nanoTime(), roomCreatedAt);
    }
}
