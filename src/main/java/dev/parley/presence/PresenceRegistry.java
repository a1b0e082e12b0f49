package dev.parley.presence;

import dev.parley.bus.Bus;
import dev.parley.bus.BusListener;
import dev.parley.bus.NodeId;
import dev.parley.bus.PresenceChange;
import dev.parley.config.ParleyProperties;
import dev.parley.identity.ChatUser;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.Names;
import dev.parley.protocol.ServerFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Who is online, for the whole cluster, built from every node's share: this node's share is its own connections
 * per user ({@link #connect}, {@link #disconnect}), published on the {@link Bus} at each change; the view is every
 * node's share as heard ({@link #onPresence}), so a user is online while any node holds a connection of theirs.
 * On one node the bus hands each change straight back, and the view is this node's share.
 * <p>
 * Events are queued inside the view's atomic update for that user (so one user's online/offline can never
 * overtake each other) and emitted outside it by a single drainer. Presence is pushed to everyone while at most
 * {@code broadcast-max} users are online.
 */
@Component
public class PresenceRegistry implements BusListener {
    private static final Logger log = LoggerFactory.getLogger(PresenceRegistry.class);
    /** This node's connections per user: its share, changed only here, published at each change. */
    private final Map<String, Online> share = new ConcurrentHashMap<>();
    /** Every node's share per user, as heard: who is online in the cluster. */
    private final Map<String, Seen> users = new ConcurrentHashMap<>();
    /**
     * The keys of {@link #users} in name order, changed inside the map's update for that key. A welcome
     * lists the first {@code broadcast-max} names: walking this set costs that many steps, where sorting
     * the map cost n log n per connection (quadratic over a reconnect storm of thousands).
     */
    private final NavigableSet<String> keysInOrder = new ConcurrentSkipListSet<>();
    private final Sinks.Many<PresenceEvent> sink = Sinks.many().multicast().directBestEffort();
    private final Queue<PresenceEvent> pending = Queues.<PresenceEvent>unboundedMultiproducer().get();
    private final AtomicInteger wip = new AtomicInteger();
    /** This node's share's changes, in the order made, waiting to go on the bus. */
    private final Queue<PresenceChange> changes = Queues.<PresenceChange>unboundedMultiproducer().get();
    private final AtomicInteger publishing = new AtomicInteger();
    private final FrameCodec codec;
    private final Supplier<Bus> bus;
    private final String node;
    private final int broadcastMax;

    @Autowired
    public PresenceRegistry(FrameCodec codec, ObjectProvider<Bus> bus, NodeId node, ParleyProperties properties) {
        this(codec, (Supplier<Bus>) bus::getObject, node, properties);
    }

    /** @param bus found when first needed: the bus hands this registry what it publishes */
    public PresenceRegistry(FrameCodec codec, Supplier<Bus> bus, NodeId node, ParleyProperties properties) {
        this.codec = codec;
        this.bus = bus;
        this.node = node.value();
        this.broadcastMax = properties.presence().broadcastMax();
    }

    /** This node's connections of one user. */
    private record Online(String name, int connections, boolean guest) {
    }

    /** A user seen online: display name, guest or not, and how many connections each node holds. */
    /** The nodes beating, as last heard: an idle node holds no presence but is one of the cluster. */
    private volatile Set<String> liveNodes = Set.of();

    private record Seen(String name, boolean guest, Map<String, Integer> nodes) {
    }

    /**
     * Counts a new connection of the user on this node.
     *
     * @return false when refused: a guest name already online anywhere, or a registered name held by a guest
     */
    public boolean connect(ChatUser user) {
        boolean[] accepted = {true};
        share.compute(user.key(), (key, current) -> {
            if (current == null) {
                Seen seen = users.get(key);
                if (seen != null && (user.guest() || seen.guest())) {
                    accepted[0] = false;
                    return null;
                }
                return published(key, new Online(user.name(), 1, user.guest()));
            }
            if (user.guest() || current.guest()) {
                accepted[0] = false;
                return current;
            }
            return published(key, new Online(current.name(), current.connections() + 1, false));
        });
        publishChanges();
        drain();
        return accepted[0];
    }

    /** Counts a closed connection on this node; the user's last one in the cluster makes them offline. */
    public void disconnect(ChatUser user) {
        share.computeIfPresent(user.key(), (key, current) -> {
            if (current.connections() > 1) {
                return published(key, new Online(current.name(), current.connections() - 1, current.guest()));
            }
            published(key, new Online(current.name(), 0, current.guest()));
            return null;
        });
        publishChanges();
        drain();
    }

    /** Queues the change inside the share's update for this user, so that one user's changes go out in order. */
    private Online published(String key, Online online) {
        changes.offer(new PresenceChange(node, key, online.name(), online.guest(), online.connections()));
        return online;
    }

    /** Publishes the queued changes in order, outside any map lock; whoever finds it idle does it for everybody. */
    private void publishChanges() {
        if (publishing.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            PresenceChange change;
            while ((change = changes.poll()) != null) {
                try {
                    bus.get().publish(change);
                } catch (RuntimeException e) {
                    // one failing listener must not stop every later change from going out
                    log.error("Could not publish the presence of {}", change.userKey(), e);
                }
            }
            missed = publishing.addAndGet(-missed);
        } while (missed != 0);
    }

    @Override
    public void onPresence(PresenceChange change) {
        apply(change);
        drain();
    }

    @Override
    public void onPresenceSnapshot(Collection<PresenceChange> everyone) {
        Map<String, Map<String, PresenceChange>> byUser = new HashMap<>();
        for (PresenceChange change : everyone) {
            byUser.computeIfAbsent(change.userKey(), k -> new HashMap<>()).put(change.node(), change);
        }
        // what the snapshot does not hold is gone: every node's entry for it goes to 0
        for (Map.Entry<String, Seen> entry : users.entrySet()) {
            Map<String, PresenceChange> now = byUser.getOrDefault(entry.getKey(), Map.of());
            for (String holder : entry.getValue().nodes().keySet()) {
                if (!now.containsKey(holder) && !holder.equals(node)) {
                    apply(new PresenceChange(holder, entry.getKey(), entry.getValue().name(), entry.getValue().guest(), 0));
                }
            }
        }
        for (PresenceChange change : everyone) {
            // this node's own share is known here better than anywhere
            if (!change.node().equals(node)) {
                apply(change);
            }
        }
        drain();
    }

    @Override
    public void onNodeGone(String gone) {
        if (gone.equals(node)) {
            return;
        }
        for (Map.Entry<String, Seen> entry : users.entrySet()) {
            if (entry.getValue().nodes().containsKey(gone)) {
                apply(new PresenceChange(gone, entry.getKey(), entry.getValue().name(), entry.getValue().guest(), 0));
            }
        }
        drain();
    }

    @Override
    public void onResumed() {
        // the others may have lost what this node told them while the bus was away: tell it again
        share.forEach((key, online) -> share.computeIfPresent(key, (k, current) -> published(k, current)));
        publishChanges();
    }

    /** Moves one node's count for one user in the view; a user's first or last connection in the cluster is an event. */
    private void apply(PresenceChange change) {
        users.compute(change.userKey(), (key, seen) -> {
            Map<String, Integer> nodes = new HashMap<>(seen == null ? Map.of() : seen.nodes());
            if (change.connections() > 0) {
                nodes.put(change.node(), change.connections());
            } else {
                nodes.remove(change.node());
            }
            if (nodes.isEmpty()) {
                if (seen != null) {
                    keysInOrder.remove(key);
                    emit(seen.name(), key, false);
                }
                return null;
            }
            if (seen == null) {
                keysInOrder.add(key);
                emit(change.name(), key, true);
                return new Seen(change.name(), change.guest(), Map.copyOf(nodes));
            }
            return new Seen(seen.name(), seen.guest(), Map.copyOf(nodes));
        });
    }

    /** This node's share: its connections per user, as published. */
    public Collection<PresenceChange> share() {
        List<PresenceChange> mine = new ArrayList<>(share.size());
        share.forEach((key, online) -> mine.add(new PresenceChange(node, key, online.name(), online.guest(),
                online.connections())));
        return mine;
    }

    /** The user online under this name right now, anywhere in the cluster, as connected. */
    public Optional<ChatUser> find(String name) {
        Seen seen = users.get(Names.key(name));
        return seen == null ? Optional.empty() : Optional.of(new ChatUser(seen.name(), seen.guest()));
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
            Seen seen = users.get(key);
            // gone since the walk began: a snapshot is never exact under concurrent change anyway
            if (seen != null) {
                names.add(seen.name());
            }
        }
        return names;
    }

    public List<String> online() {
        return online(Integer.MAX_VALUE);
    }

    /** Users online in the cluster. */
    public int count() {
        return users.size();
    }

    /** How many nodes hold connections of the user (at least 1: a user asking is connected somewhere). */
    public int nodesOf(String userKey) {
        Seen seen = users.get(userKey);
        return seen == null ? 1 : Math.max(1, seen.nodes().size());
    }

    /** A node other than this one that holds a connection of the user, as heard; null if none. */
    public String nodeElsewhere(String userKey) {
        Seen seen = users.get(userKey);
        if (seen != null) {
            for (String held : seen.nodes().keySet()) {
                if (!held.equals(node)) {
                    return held;
                }
            }
        }
        return null;
    }

    /** The user's connections on the other nodes, as heard. */
    public int connectionsElsewhere(String userKey) {
        Seen seen = users.get(userKey);
        if (seen == null) {
            return 0;
        }
        int elsewhere = 0;
        for (Map.Entry<String, Integer> held : seen.nodes().entrySet()) {
            if (!held.getKey().equals(node)) {
                elsewhere += held.getValue();
            }
        }
        return elsewhere;
    }

    /** Users with a connection on this node. */
    public int localCount() {
        return share.size();
    }

    /** This node's id. */
    public String node() {
        return node;
    }

    /** Live nodes, idle ones too, as the bus last heard the beats (cluster mode). */
    @Override
    public void onLiveNodes(Collection<String> nodes) {
        liveNodes = Set.copyOf(nodes);
    }

    /** The cluster: the nodes beating or holding connections (and this one), users, connections. */
    public ClusterFigures cluster() {
        Set<String> nodes = new HashSet<>(liveNodes);
        nodes.add(node);
        long connections = 0;
        for (Seen seen : users.values()) {
            nodes.addAll(seen.nodes().keySet());
            for (int count : seen.nodes().values()) {
                connections += count;
            }
        }
        return new ClusterFigures(nodes.size(), users.size(), connections);
    }

    /** What {@code /api/stats} says of the cluster. */
    public record ClusterFigures(int nodes, int usersOnline, long connections) {
    }

    public int broadcastMax() {
        return broadcastMax;
    }

    /** Live presence changes from the moment of subscription. */
    public Flux<PresenceEvent> events() {
        return sink.asFlux();
    }

    /** Queues the event; called inside the view's update for that user, so one user's events keep their order. */
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
