package dev.parley.bus.redis;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The Redis commands the bus uses, each sent from one thread of its own, in the order asked. Spring Data Redis
 * takes a lock for every command it starts (to hand out its shared connection): started on an event loop (a
 * socket's, or Lettuce's own, where one command's answer starts the next) a contended lock would park it.
 * One thread also keeps this node's commands in the order they were made.
 */
final class RedisCommands implements AutoCloseable {
    private final ReactiveStringRedisTemplate redis;
    private final ThreadPoolExecutor thread = oneThread();
    private final Scheduler scheduler = Schedulers.fromExecutorService(thread, "parley-bus-redis");

    RedisCommands(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    /**
     * The thread, started up front and fed through a lock-free queue: commands are handed over from event loops, and
     * the blocking queue of a plain single-thread executor takes a lock that parks a contended event loop.
     */
    private static ThreadPoolExecutor oneThread() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedTransferQueue<>(),
                runnable -> {
                    Thread named = new Thread(runnable, "parley-bus-redis");
                    named.setDaemon(true);
                    return named;
                });
        executor.prestartAllCoreThreads();
        return executor;
    }

    private <T> Mono<T> sent(Mono<T> command) {
        return Mono.defer(() -> command).subscribeOn(scheduler);
    }

    Mono<Long> publish(String channel, String message) {
        return sent(Mono.defer(() -> redis.convertAndSend(channel, message)));
    }

    Mono<Boolean> hashPut(String key, String field, String value) {
        return sent(Mono.defer(() -> redis.<String, String>opsForHash().put(key, field, value)));
    }

    Mono<Long> hashRemove(String key, String field) {
        return sent(Mono.defer(() -> redis.<String, String>opsForHash().remove(key, field)));
    }

    Mono<Map<String, String>> hashEntries(String key) {
        return sent(Mono.defer(() -> redis.<String, String>opsForHash().entries(key)
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    Mono<Boolean> sortedAdd(String key, String member, double score) {
        return sent(Mono.defer(() -> redis.opsForZSet().add(key, member, score)));
    }

    Flux<String> sortedByScore(String key, double from, double to) {
        return sent(Mono.defer(() -> redis.opsForZSet().rangeByScore(key, Range.closed(from, to)).collectList()))
                .flatMapIterable(members -> members);
    }

    Mono<Long> sortedRemove(String key, String member) {
        return sent(Mono.defer(() -> redis.opsForZSet().remove(key, member)));
    }

    Mono<Boolean> setIfAbsent(String key, String value, Duration expiry) {
        return sent(Mono.defer(() -> redis.opsForValue().setIfAbsent(key, value, expiry)));
    }

    Mono<Long> script(RedisScript<Long> script, List<String> keys, String... args) {
        return sent(Mono.defer(() -> redis.execute(script, keys, List.of(args)).next()));
    }

    Mono<Long> delete(String key) {
        return sent(Mono.defer(() -> redis.delete(key)));
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
