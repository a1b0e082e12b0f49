package dev.parley.bus.redis;

import dev.parley.bus.BusListener;
import dev.parley.bus.PresenceChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;

/**
 * Who is in the cluster and what each node holds, in Redis: every node beats in a sorted set
 * ({@code <ns>:nodes}, score: the time of its last beat) and keeps its share of presence in a hash of its own
 * ({@code <ns>:presence:<node>}: user key to name, guest, connections). A node that stopped beating for
 * {@code nodeTimeout} is reaped by one survivor (the one whose {@code SET NX} on {@code <ns>:reaping:<node>}
 * succeeds): its share is deleted and every node hears that it is gone.
 */
final class ClusterRoster {
    private static final Logger log = LoggerFactory.getLogger(ClusterRoster.class);

    private final RedisCommands redis;
    private final String namespace;
    private final String node;
    private final Duration nodeTimeout;
    /** Whether this node has beaten before: its first beat adds it, any later one that adds it finds it was missing. */
    private volatile boolean beaten;

    ClusterRoster(RedisCommands redis, String namespace, String node, Duration nodeTimeout) {
        this.redis = redis;
        this.namespace = namespace;
        this.node = node;
        this.nodeTimeout = nodeTimeout;
    }

    private String nodes() {
        return namespace + ":nodes";
    }

    private String share(String of) {
        return namespace + ":presence:" + of;
    }

    /** Writes one change of this node's share. */
    Mono<Void> write(PresenceChange change) {
        return change.connections() > 0
                ? redis.hashPut(share(node), change.userKey(), PresenceLines.value(change)).then()
                : redis.hashRemove(share(node), change.userKey()).then();
    }

    /**
     * This node beats; the nodes that stopped beating are returned, each reaped by whoever wins it. A node that
     * finds itself gone from the set (reaped while it was too slow to beat, or Redis restarted empty) runs
     * {@code whenMissing}: its share was deleted and must be written again.
     */
    Flux<String> beat(Runnable whenMissing) {
        long now = System.currentTimeMillis();
        return redis.sortedAdd(nodes(), node, now)
                .doOnNext(added -> {
                    if (added && beaten) {
                        log.warn("This node was missing from the cluster's nodes; writing its share again");
                        whenMissing.run();
                    }
                    beaten = true;
                })
                .thenMany(redis.sortedByScore(nodes(), 0, now - nodeTimeout.toMillis()))
                .concatMap(dead -> redis.setIfAbsent(namespace + ":reaping:" + dead, node, Duration.ofMinutes(1))
                        .filter(Boolean::booleanValue)
                        .flatMap(won -> forget(dead).doOnSuccess(done -> log.info("Node {} stopped beating; reaped", dead))
                                .thenReturn(dead)));
    }

    /** Takes a node out of the cluster: its beat, its presence share and its connections (this node's own, at a graceful stop). */
    Mono<Void> forget(String gone) {
        return redis.delete(share(gone)).then(redis.delete(RedisSharedLimits.connections(namespace, gone)))
                .then(redis.sortedRemove(nodes(), gone)).then();
    }

    /** The nodes beating now. */
    Mono<List<String>> live() {
        return redis.sortedByScore(nodes(), System.currentTimeMillis() - nodeTimeout.toMillis(), Double.MAX_VALUE)
                .collectList();
    }

    /** Every live node's share, as one list of changes. */
    Mono<List<PresenceChange>> snapshot() {
        long alive = System.currentTimeMillis() - nodeTimeout.toMillis();
        return redis.sortedByScore(nodes(), alive, Double.MAX_VALUE)
                .concatMap(live -> redis.hashEntries(share(live)).flatMapIterable(entries -> entries.entrySet().stream()
                        .map(entry -> PresenceLines.change(live, entry.getKey(), entry.getValue())).toList()))
                .collectList();
    }

    /** Hands the listener the whole truth. */
    Mono<Void> snapshotTo(BusListener listener) {
        return snapshot().doOnNext(listener::onPresenceSnapshot).then();
    }
}
