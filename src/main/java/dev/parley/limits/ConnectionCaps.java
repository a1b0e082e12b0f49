package dev.parley.limits;

import dev.parley.bus.BusListener;
import dev.parley.config.ParleyProperties;
import dev.parley.identity.ChatUser;
import dev.parley.presence.PresenceRegistry;
import dev.parley.stats.Limit;
import dev.parley.stats.ParleyMetrics;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Caps on open connections per user and per address, and on handshakes in progress. A count is
 * taken and checked in one step, so concurrent handshakes never overshoot a cap; counts of zero
 * are forgotten.
 */
@Component
public class ConnectionCaps implements BusListener {
    /** No bucket says when a connection will close: a hint to retry in a while rather than at once. */
    private static final long CONNECTION_RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Handshakes are answered within moments. */
    private static final long HANDSHAKE_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private final Map<String, Integer> byUser = new ConcurrentHashMap<>();
    private final Map<String, Integer> byAddress = new ConcurrentHashMap<>();
    /** This node's WebSocket connections per address, each holding a place in the cluster's count too. */
    private final Map<String, Integer> sharedByAddress = new ConcurrentHashMap<>();
    private final AtomicInteger handshakes = new AtomicInteger();
    private final ParleyProperties.Abuse config;
    private final ParleyMetrics metrics;

    private final PresenceRegistry presence;
    private final SharedLimits shared;

    public ConnectionCaps(ParleyProperties properties, ParleyMetrics metrics, PresenceRegistry presence,
                          SharedLimits shared) {
        this.config = properties.abuse();
        this.metrics = metrics;
        this.presence = presence;
        this.shared = shared;
    }

    /**
     * Takes a place among the address's connections on every node (cluster mode; one node has only its own): first,
     * before {@link #admit}, whose admission gives it back; with no admission after all, {@link #giveAcrossNodes}.
     */
    public Mono<Void> takeAcrossNodes(String address) {
        return shared.takeConnection(address, config.connectionsPerAddress()).flatMap(taken -> {
            if (taken) {
                return Mono.empty();
            }
            metrics.refused(Limit.CONNECTIONS_PER_ADDRESS);
            return Mono.error(tooManyFromAddress());
        });
    }

    /** Gives back a place {@link #takeAcrossNodes} took for a connection that was never admitted. */
    public void giveAcrossNodes(String address) {
        shared.giveConnection(address);
    }

    /**
     * A connection of {@code user} from {@code address} opens, its place across nodes taken already
     * ({@link #takeAcrossNodes}); close the admission when it ends, which gives that place back too.
     */
    public Admission admit(ChatUser user, String address) {
        String userKey = user.key();
        takeUser(userKey);
        try {
            takeAddress(address);
        } catch (RateLimitedException refused) {
            give(byUser, userKey);
            throw refused;
        }
        sharedByAddress.merge(address, 1, Integer::sum);
        // one admission for every place: every open connection holds it
        return new Admission(() -> {
            give(byUser, userKey);
            give(byAddress, address);
            give(sharedByAddress, address);
            shared.giveConnection(address);
        });
    }

    /** The shared count lost or missed this node's connections (Redis restarted, or was away): written again. */
    @Override
    public void onResumed() {
        shared.rewrite(Map.copyOf(sharedByAddress));
    }

    /** A connection of {@code user} (the console's, once it has said who it is). */
    public Admission admitUser(ChatUser user) {
        String userKey = user.key();
        takeUser(userKey);
        return new Admission(() -> give(byUser, userKey));
    }

    /** A connection from {@code address} (the console's, as soon as it is accepted). */
    public Admission admitAddress(String address) {
        takeAddress(address);
        return new Admission(() -> give(byAddress, address));
    }

    private void takeUser(String userKey) {
        // the user's connections on the other nodes count too
        if (!take(byUser, userKey, config.connectionsPerUser() - presence.connectionsElsewhere(userKey))) {
            metrics.refused(Limit.CONNECTIONS_PER_USER);
            throw new RateLimitedException("you have " + config.connectionsPerUser()
                    + " connections open, the most allowed", CONNECTION_RETRY_NANOS);
        }
    }

    private void takeAddress(String address) {
        if (!take(byAddress, address, config.connectionsPerAddress())) {
            metrics.refused(Limit.CONNECTIONS_PER_ADDRESS);
            throw tooManyFromAddress();
        }
    }

    private static RateLimitedException tooManyFromAddress() {
        return new RateLimitedException("too many connections from your address", CONNECTION_RETRY_NANOS);
    }

    /**
     * A handshake starts (a WebSocket upgrade, or a console connection until it has logged in); close
     * the admission when it is answered, upgraded or not.
     */
    public Admission handshake() {
        if (handshakes.incrementAndGet() > config.handshakes()) {
            handshakes.decrementAndGet();
            metrics.refused(Limit.HANDSHAKES);
            throw new RateLimitedException("the server is busy with other handshakes; retry shortly",
                    HANDSHAKE_RETRY_NANOS);
        }
        return new Admission(handshakes::decrementAndGet);
    }

    /** Takes one of the key's places unless it has {@code cap}; in one step of the map. */
    static boolean take(Map<String, Integer> counts, String key, int cap) {
        boolean[] taken = {false};
        counts.compute(key, (k, count) -> {
            int current = count == null ? 0 : count;
            if (current >= cap) {
                return count;
            }
            taken[0] = true;
            return current + 1;
        });
        return taken[0];
    }

    static void give(Map<String, Integer> counts, String key) {
        counts.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
    }

    /**
     * A place under a cap; closing it gives the place back, once. Whoever admits a connection gives
     * it to the connection, which {@link #claim claims} it and closes it when it ends; if none ever
     * claims it (the request was not upgraded after all), {@link #closeUnlessClaimed} gives it back.
     */
    public static final class Admission implements AutoCloseable {
        // two flags in plain fields, not two atomic objects: every open connection holds an admission
        private static final AtomicIntegerFieldUpdater<Admission> CLOSED =
                AtomicIntegerFieldUpdater.newUpdater(Admission.class, "closed");
        private final Runnable release;
        private volatile int closed;
        private volatile boolean claimed;

        Admission(Runnable release) {
            this.release = release;
        }

        /** The connection takes the place over: it closes it when it ends. */
        public void claim() {
            claimed = true;
        }

        /** Gives the place back if no connection took it over. */
        public void closeUnlessClaimed() {
            if (!claimed) {
                close();
            }
        }

        @Override
        public void close() {
            if (CLOSED.compareAndSet(this, 0, 1)) {
                release.run();
            }
        }
    }
}
