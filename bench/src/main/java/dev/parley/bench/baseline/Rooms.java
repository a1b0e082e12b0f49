package dev.parley.bench.baseline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The baseline's rooms by name; {@code general} always exists. */
final class Rooms {

    private final Map<String, Room> byName = new ConcurrentHashMap<>();

    Rooms() {
        byName.put("general", new Room("general"));
    }

    Room get(String name) {
        return byName.get(name);
    }

    /** Creates a room, or returns null if the name is taken. */
    Room create(String name) {
        Room room = new Room(name);
        return byName.putIfAbsent(name, room) == null ? room : null;
    }
}
