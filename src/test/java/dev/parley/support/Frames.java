package dev.parley.support;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Building client frames and reading server frames in full-stack tests. */
public final class Frames {

    private Frames() {
    }

    /** A client frame: its type and field/value pairs, e.g. {@code frame("join", "room", "dev")}. */
    public static Map<String, Object> frame(String type, Object... fields) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", type);
        for (int i = 0; i < fields.length; i += 2) {
            frame.put((String) fields[i], fields[i + 1]);
        }
        return frame;
    }

    /** A server frame of this type about this room. */
    public static Predicate<JsonNode> is(String type, String room) {
        return f -> type.equals(f.path("type").asString()) && room.equals(f.path("room").asString());
    }

    /** The error code of a reply that must be an error. */
    public static String code(JsonNode reply) {
        assertThat(reply.get("type").asString()).as("reply %s", reply).isEqualTo("error");
        return reply.get("code").asString();
    }

    /** A room's entry in a list of rooms ({@code rooms} reply or welcome), by case-insensitive name. */
    public static Optional<JsonNode> entry(JsonNode rooms, String room) {
        for (JsonNode entry : rooms) {
            if (room.equalsIgnoreCase(entry.get("room").asString())) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /** The caller's {@code rooms} entry for a room, if it is listed. */
    public static Optional<JsonNode> listed(ChatClient client, String room) {
        JsonNode list = client.call(frame("rooms"));
        assertThat(list.get("type").asString()).isEqualTo("rooms");
        return entry(list.get("rooms"), room);
    }

    /** Sends a ping and returns every frame received before its pong: what has arrived so far. */
    public static List<JsonNode> framesUntilPong(ChatClient client) {
        String id = "sync-" + System.nanoTime();
        client.send(frame("ping", "id", id));
        List<JsonNode> frames = new ArrayList<>();
        JsonNode next;
        while (!id.equals((next = client.next()).path("id").asString())) {
            frames.add(next);
        }
        return frames;
    }
}
