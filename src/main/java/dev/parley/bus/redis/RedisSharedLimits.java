package dev.parley.bus.redis;

import dev.parley.limits.SharedLimits;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The per-address limits of the cluster in Redis, each check one atomic script. Connections: each node keeps its
 * connections per address in a hash of its own ({@code <ns>:connections:<node>}), a connection is admitted while the
 * live nodes' counts of its address add up to less than the cap, and a reaped node's hash goes with it (as its
 * presence share does). Sign-in attempts: one counter per address ({@code <ns>:attempts:<address>}) for a minute
 * from its first attempt. A script Redis cannot run (it is away) lets the request through.
 */
final class RedisSharedLimits implements SharedLimits {
    private static final RedisScript<Long> TAKE_CONNECTION = RedisScript.of("""
            local total = 0
            for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[5], '+inf')) do
              total = total + tonumber(redis.call('HGET', ARGV[1] .. node, ARGV[3]) or '0')
            end
            if total >= tonumber(ARGV[4]) then return 0 end
            redis.call('HINCRBY', ARGV[1] .. ARGV[2], ARGV[3], 1)
            return 1
            """, Long.class);
    private static final RedisScript<Long> GIVE_CONNECTION = RedisScript.of("""
            if redis.call('HINCRBY', KEYS[1], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
            return 1
            """, Long.class);
    private static final RedisScript<Long> ATTEMPT = RedisScript.of("""
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            if n > tonumber(ARGV[1]) then return math.max(redis.call('PTTL', KEYS[1]), 1) end
            return 0
            """, Long.class);
    private static final RedisScript<Long> GIVE_ATTEMPT = RedisScript.of("""
            if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DECR', KEYS[1]) end
            return 1
            """, Long.class);
    private static final RedisScript<Long> REWRITE = RedisScript.of("""
            redis.call('DEL', KEYS[1])
            for i = 1, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
            return 1
            """, Long.class);
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final RedisCommands redis;
    private final String namespace;
    private final String node;
    private final Duration nodeTimeout;

    RedisSharedLimits(RedisCommands redis, String namespace, String node, Duration nodeTimeout) {
        this.redis = redis;
        this.namespace = namespace;
        this.node = node;
        this.nodeTimeout = nodeTimeout;
    }

    static String connections(String namespace, String node) {
        return namespace + ":connections:" + node;
    }

    @Override
    public Mono<Boolean> takeConnection(String address, int cap) {
        long alive = System.currentTimeMillis() - nodeTimeout.toMillis();
        return redis.script(TAKE_CONNECTION, List.of(namespace + ":nodes"), connections(namespace, ""), node, address,
                        String.valueOf(cap), String.valueOf(alive))
                .map(taken -> taken == 1)
                .onErrorReturn(true);
    }

    @Override
    public void giveConnection(String address) {
        redis.script(GIVE_CONNECTION, List.of(connections(namespace, node)), address).subscribe(done -> { }, away -> { });
    }

    @Override
    public Mono<Long> attempt(String address, int perMinute) {
        return redis.script(ATTEMPT, List.of(attempts(address)), String.valueOf(perMinute), String.valueOf(WINDOW.toMillis()))
                .onErrorReturn(0L);
    }

    @Override
    public void attemptSucceeded(String address) {
        redis.script(GIVE_ATTEMPT, List.of(attempts(address))).subscribe(done -> { }, away -> { });
    }

    /** Redis lost them (it restarted), or missed changes while it was away. */
    @Override
    public void rewrite(Map<String, Integer> connectionsByAddress) {
        List<String> pairs = new ArrayList<>(connectionsByAddress.size() * 2);
        connectionsByAddress.forEach((address, count) -> {
            pairs.add(address);
            pairs.add(String.valueOf(count));
        });
        // in one step: a connection taken or given meanwhile is never lost between a delete and the writes
        redis.script(REWRITE, List.of(connections(namespace, node)), pairs.toArray(String[]::new))
                .subscribe(done -> { }, away -> { });
    }

    private String attempts(String address) {
        return namespace + ":attempts:" + address;
    }
}
