package dev.parley.session;

import dev.parley.config.ParleyProperties;
import dev.parley.identity.ChatUser;
import dev.parley.presence.PresenceRegistry;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.stats.LiveRates;
import dev.parley.stats.ParleyMetrics;
import dev.parley.support.TestPresence;
import dev.parley.support.TestProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A measurement, not a test (the build runs only {@code *Tests}): a reconnect storm against the real
 * {@link PresenceRegistry} and real sessions with fake transports, in one process, on one thread.
 * {@code online} users are connected, each watching the next {@code watches} users; then, in each round,
 * every user's connection closes and opens again (one offline and one online event each). Prints, per
 * round, the connections handed an event, the time and the allocation. How to run it: docs/benchmarks.md.
 */
final class PresenceStorm {
    private static final long CAPACITY = 1 << 20;

    private final ParleyProperties properties = TestProperties.defaults();
    private final PresenceRegistry presence =
            TestPresence.singleNode(new FrameCodec(properties.protocolLimits()), properties);
    private final SessionRegistry sessions = new SessionRegistry();
    private final ParleyMetrics metrics = new ParleyMetrics(new SimpleMeterRegistry(), new LiveRates());
    private final PresenceWatchers watchers = new PresenceWatchers(presence, sessions, metrics);
    private final FakeRenderer renderer = new FakeRenderer();
    private final int online;
    private final int watches;
    private final ChatSession[] connections;

    private PresenceStorm(int online, int watches) {
        this.online = online;
        this.watches = watches;
        this.connections = new ChatSession[online];
    }

    public static void main(String[] args) {
        int online = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int watches = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        new PresenceStorm(online, watches).run(rounds);
    }

    private void run(int rounds) {
        // classes loaded and one-off state set up first, so the heap figure holds only the connections
        for (int i = 0; i < Math.min(online, 1000); i++) {
            close(open(i));
        }
        long heapBefore = settledHeap();
        for (int i = 0; i < online; i++) {
            connections[i] = open(i);
        }
        long heapAfter = settledHeap();
        System.out.printf(Locale.ROOT, "%,d online, broadcast-max %,d; heap per connection watching nobody: %,d bytes%n",
                online, properties.presence().broadcastMax(), (heapAfter - heapBefore) / online);
        for (int i = 0; i < online; i++) {
            watch(connections[i], watched(i));
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int round = 1; round <= rounds; round++) {
            double handedBefore = metrics.presenceDeliveries();
            long cpuBefore = threads.getCurrentThreadCpuTime();
            long allocatedBefore = threads.getThreadAllocatedBytes(thread);
            long start = System.nanoTime();
            for (int i = 0; i < online; i++) {
                close(connections[i]);
                connections[i] = open(i);
                watch(connections[i], watched(i));
            }
            long wallNanos = System.nanoTime() - start;
            System.out.printf(Locale.ROOT,
                    "round %d: %,d reconnects, %,.0f connections handed an event, %,d ms wall, %,d ms CPU, %,d MB allocated%n",
                    round, online, metrics.presenceDeliveries() - handedBefore, wallNanos / 1_000_000,
                    (threads.getCurrentThreadCpuTime() - cpuBefore) / 1_000_000,
                    (threads.getThreadAllocatedBytes(thread) - allocatedBefore) >> 20);
        }
    }

    /** The users connection {@code i} watches: the next {@code watches}, so each user has that many watchers. */
    private Set<String> watched(int i) {
        Set<String> keys = new HashSet<>();
        for (int k = 1; k <= watches; k++) {
            keys.add(name((i + k) % online));
        }
        return keys;
    }

    private static String name(int i) {
        return "user" + i;
    }

    /** Opens a connection the way ChatService does, with a writer that takes every frame at once. */
    private ChatSession open(int i) {
        ChatSession session = new ChatSession(new ChatUser(name(i), false), renderer, new FakeTransport(), metrics,
                CAPACITY, CAPACITY / 16);
        session.outbox().frames().subscribe();
        sessions.add(session);
        presence.connect(session.user());
        session.followPresence();
        session.open(new ServerFrame.Pong("welcome"));
        return session;
    }

    private void watch(ChatSession session, Set<String> keys) {
        watchers.watch(session, keys);
    }

    /** Closes a connection the way ChatService does. */
    private void close(ChatSession session) {
        session.dispose();
        watchers.forget(session);
        sessions.remove(session);
        presence.disconnect(session.user());
    }

    /**
     * The live heap: what the collections left in each heap pool. Read from the pools' usage after their last
     * collection, not the current usage, which counts the allocation buffers threads took since.
     */
    private static long settledHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used;
    }
}
