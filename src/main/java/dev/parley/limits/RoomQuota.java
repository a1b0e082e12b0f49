package dev.parley.limits;

import dev.parley.config.ParleyProperties;
import dev.parley.protocol.ChatException;
import dev.parley.stats.Limit;
import dev.parley.stats.ParleyMetrics;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Caps on rooms that exist: per creator ({@code rooms-per-user}) and per address the rooms were created
 * from ({@code rooms-per-address}, since a guest is only a nickname). Counts are kept per key, each
 * taken and checked in one step of its map, so creating a room scans nothing and holds no global lock.
 */
@Component
public class RoomQuota {
    /** A room's place comes back only when some room is deleted: no bucket says when. */
    private static final long RETRY_MS = TimeUnit.MINUTES.toMillis(1);

    private final Map<String, Integer> byCreator = new ConcurrentHashMap<>();
    private final Map<String, Integer> byAddress = new ConcurrentHashMap<>();
    private final int perUser;
    private final int perAddress;
    private final ParleyMetrics metrics;

    public RoomQuota(ParleyProperties properties, ParleyMetrics metrics) {
        this.perUser = properties.abuse().roomsPerUser();
        this.perAddress = properties.abuse().roomsPerAddress();
        this.metrics = metrics;
    }

    /**
     * Takes a place for a new room of {@code creatorKey}, created from {@code address} (null: not counted
     * by address, as for rooms loaded at startup, which are counted whatever the caps say).
     *
     * @throws ChatException {@code rate_limited} over either cap (nothing taken); not a strike: the client
     *                       asked for something it may not have now, it did not flood
     */
    public Place claim(String creatorKey, String address) {
        if (!ConnectionCaps.take(byCreator, creatorKey, perUser)) {
            throw refused("you have created " + perUser + " rooms, the most allowed; leave one empty to create another");
        }
        if (address != null && !ConnectionCaps.take(byAddress, address, perAddress)) {
            ConnectionCaps.give(byCreator, creatorKey);
            throw refused("rooms created from your address are at the most allowed (" + perAddress + ")");
        }
        return new Place(creatorKey, address);
    }

    /** A stored room that exists already: counted against its creator. */
    public Place existing(String creatorKey) {
        byCreator.merge(creatorKey, 1, Integer::sum);
        return new Place(creatorKey, null);
    }

    private ChatException refused(String message) {
        metrics.refused(Limit.ROOMS);
        return ChatException.rateLimited(message, RETRY_MS);
    }

    /** A room's place under the caps; {@link #release} gives it back once, when the room is gone or never was. */
    public final class Place {
        private final String creatorKey;
        private final String address;
        private final AtomicBoolean released = new AtomicBoolean();

        private Place(String creatorKey, String address) {
            this.creatorKey = creatorKey;
            this.address = address;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                ConnectionCaps.give(byCreator, creatorKey);
                if (address != null) {
                    ConnectionCaps.give(byAddress, address);
                }
            }
        }
    }
}
