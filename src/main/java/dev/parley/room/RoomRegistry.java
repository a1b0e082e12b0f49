package dev.parley.room;

import dev.parley.history.MessageStore;
import dev.parley.protocol.Names;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The rooms with a live fan-out, by case-insensitive name. Holds {@code general} from the start. */
@Component
public class RoomRegistry {
    public static final String PUBLIC = "public";

    private final Map<String, RoomChannel> rooms = new ConcurrentHashMap<>();

    public RoomRegistry(MessageStore store) {
        // startup, on the main thread: the general room continues from its stored seq
        long generalSeq = store.lastSeq(Names.GENERAL).block(Duration.ofSeconds(30));
        rooms.put(Names.GENERAL, new RoomChannel(Names.GENERAL, PUBLIC, generalSeq));
    }

    public Optional<RoomChannel> find(String name) {
        return Optional.ofNullable(rooms.get(Names.key(name)));
    }

    public RoomChannel general() {
        return rooms.get(Names.GENERAL);
    }

    public Collection<RoomChannel> all() {
        return rooms.values();
    }

    public int count() {
        return rooms.size();
    }
}
