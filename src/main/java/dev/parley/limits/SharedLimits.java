package dev.parley.limits;

import reactor.core.publisher.Mono;

import java.util.Map;

/**
 * The per-address limits the nodes of a cluster hold together (seam: one node has nothing to share, its own counts
 * are the whole; cluster mode counts in Redis). Calls never block. A count that cannot be reached (Redis away) lets
 * the request through: the node's own limits still hold, and the cluster may admit up to one node's share more.
 */
public interface SharedLimits {

    /** Takes a place among the address's connections on every node: false, nothing taken, when they have {@code cap}. */
    Mono<Boolean> takeConnection(String address, int cap);

    /** Gives back a place {@link #takeConnection} took. */
    void giveConnection(String address);

    /**
     * Counts a sign-in attempt from the address in its minute, across the cluster.
     *
     * @return 0 when within {@code perMinute}; else how many milliseconds until the address may try again
     */
    Mono<Long> attempt(String address, int perMinute);

    /** The attempt succeeded: it is given back (many people sign in from behind one address). */
    void attemptSucceeded(String address);

    /** Writes this node's connections per address again, after the shared count lost or missed them. */
    void rewrite(Map<String, Integer> connectionsByAddress);

    /** One node: nothing to share. */
    SharedLimits NONE = new SharedLimits() {
        @Override
        public Mono<Boolean> takeConnection(String address, int cap) {
            return Mono.just(true);
        }

        @Override
        public void giveConnection(String address) {
        }

        @Override
        public Mono<Long> attempt(String address, int perMinute) {
            return Mono.just(0L);
        }

        @Override
        public void attemptSucceeded(String address) {
        }

        @Override
        public void rewrite(Map<String, Integer> connectionsByAddress) {
        }
    };
}
