package dev.parley.cluster;

import dev.parley.room.GapFiller;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import java.time.Duration;

/**
 * Every {@code parley.cluster.reconcile-interval}, each room followed on this node is compared with the database's
 * last seq and caught up: pub/sub drops what is published while a node is not subscribed, and a lost message
 * shows no gap until the room's next one.
 */
final class Reconciliation implements SmartLifecycle {
    private final GapFiller gaps;
    private final Duration interval;
    private volatile Disposable rounds;

    Reconciliation(GapFiller gaps, Duration interval) {
        this.gaps = gaps;
        this.interval = interval;
    }

    @Override
    public void start() {
        // one round at a time: a slow database delays the next round rather than piling rounds up
        rounds = Flux.interval(interval).onBackpressureDrop().concatMap(tick -> gaps.reconcile(), 1).subscribe();
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
