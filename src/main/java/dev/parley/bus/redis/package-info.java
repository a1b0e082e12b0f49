/**
 * The bus between nodes over Redis pub/sub (Spring Data Redis, reactive, on Lettuce): a channel per room under
 * {@code <namespace>:bus:room:}, one for the cluster, all heard through one pattern subscription.
 */
package dev.parley.bus.redis;
