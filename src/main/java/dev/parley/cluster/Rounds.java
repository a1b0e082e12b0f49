package dev.parley.cluster;

import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.function.Supplier;

/** A task of cluster mode run every interval while the node runs, one round at a time. */
final class Rounds implements SmartLifecycle {
    private final Supplier<Mono<Void>> round;
    private final Duration interval;
    private volatile Disposable rounds;

    Rounds(Supplier<Mono<Void>> round, Duration interval) {
        this.round = round;
        this.interval = interval;
    }

    @Override
    public void start() {
        // a slow database delays the next round rather than piling rounds up
        rounds = Flux.interval(interval).onBackpressureDrop().concatMap(tick -> round.get(), 1).subscribe();
    }

    @Override
    public void stop() {
        Disposable running = rounds;
        if (running != null) {
            running.dispose();
        }
        rounds = null;
    }

    @Override
    public boolean isRunning() {
        return rounds != null;
    }
}
