package dev.parley.presence;

import dev.parley.config.ParleyProperties;
import dev.parley.identity.ChatUser;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.Names;
import dev.parley.protocol.ServerFrame;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Online users and their connection counts. Events are queued inside the map's atomic
 * update for that user (so one user's online/offline can never overtake each other) and
 * emitted outside it by a single drainer.
 * Presence is pushed to everyone while at most {@code broadcast-max} users are online.
 */
@Component
public class PresenceRegistry {
    private final Map<String, Online> users = new ConcurrentHashMap<>();
    /**
     * The keys of {@link #users} in name order, changed inside the map's update for that key. A welcome
     * lists the first {@code broadcast-max} names: walking this set costs that many steps, where sorting
     * the map cost n log n per connection (quadratic over a reconnect storm of thousands).
     */
    private final NavigableSet<String> keysInOrder = new ConcurrentSkipListSet<>();
    private final Sinks.Many<PresenceEvent> sink = Sinks.many().multicast().directBestEffort();
    private final Queue<PresenceEvent> pending = Queues.<PresenceEvent>unboundedMultiproducer().get();
    private final AtomicInteger wip = new AtomicInteger();
    private final FrameCodec codec;
    private final int broadcastMax;

    public PresenceRegistry(FrameCodec codec, ParleyProperties properties) {
        this.codec = codec;
        this.broadcastMax = properties.presence().broadcastMax();
    }

    /** One connected user: display name, connection count, guest or not. */
    private record Online(String name, int connections, boolean guest) {
    }

    /**
     * Counts a new connection of the user.
     *
     * @return false when refused: a guest name already online, or a registered name held by a guest
     */
    public boolean connect(ChatUser user) {
        boolean[] accepted = {true};
        users.compute(user.key(), (key, current) -> {
            if (current == null) {
                keysInOrder.add(key);
                emit(user.name(), key, true);
                return new Online(user.name(), 1, user.guest());
            }
            if (user.guest() || current.guest()) {
                accepted[0] = false;
                return current;
            }
            return new Online(current.name(), current.connections() + 1, false);
        });
        drain();
        return accepted[0];
    }

    /** Counts a closed connection; the last one makes the user offline. */
    public void disconnect(ChatUser user) {
        users.computeIfPresent(user.key(), (key, current) -> {
            if (current.connections() > 1) {
                return new Online(current.name(), current.connections() - 1, current.guest());
            }
            keysInOrder.remove(key);
            emit(current.name(), key, false);
            return null;
        });
        drain();
    }

    /** The user online under this name right now, as connected. */
    public Optional<ChatUser> find(String name) {
        Online online = users.get(Names.key(name));
        return online == null ? Optional.empty() : Optional.of(new ChatUser(online.name(), online.guest()));
    }

    public boolean isOnline(String name) {
        return users.containsKey(Names.key(name));
    }

    /**
     * Up to {@code max} online user names, sorted case-insensitively (names are ASCII, so the order of
     * their lowercase keys is that order).
     */
    public List<String> online(int max) {
        List<String> names = new ArrayList<>(Math.min(max, users.size()));
        for (String key : keysInOrder) {
            if (names.size() == max) {
                break;
            }
            Online online = users.get(key);
            // gone since the walk began: a snapshot is never exact under concurrent change anyway
            if (online != null) {
                names.add(online.name());
            }
        }
        return names;
    }

    public List<String> online() {
        return online(Integer.MAX_VALUE);
    }

    public int count() {
        return users.size();
    }

    public int broadcastMax() {
        return broadcastMax;
    }

    /** Live presence changes from the moment of subscription. */
    public Flux<PresenceEvent> events() {
        return sink.asFlux();
    }

    /** Queues the event; called inside the map's update for that user, so one user's events keep their order. */
    private void emit(String name, String key, boolean online) {
        byte[] json = codec.encode(new ServerFrame.Presence(name, online));
        // the map's size does not count this change yet; judging by it announced the first user past
        // broadcast-max to everyone, then withheld their offline: stale presence in every client
        int onlineAfter = users.size() + (online ? 1 : -1);
        pending.offer(new PresenceEvent(key, online, json, onlineAfter <= broadcastMax));
    }

    /**
     * Emits queued events outside any map lock. Whoever finds the drain idle runs it for
     * everybody (a fan-out to every session can be long), so no thread waits or spins here.
     */
    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            PresenceEvent event;
            while ((event = pending.poll()) != null) {
                // OK, or FAIL_ZERO_SUBSCRIBER when nobody is connected: nobody to tell. The sole drainer
                // never meets FAIL_NON_SERIALIZED
                sink.tryEmitNext(event);
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }
}
