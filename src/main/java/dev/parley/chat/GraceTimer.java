package dev.parley.chat;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs the grace period of empty rooms: a seam, so that tests can drive it with virtual time. */
@Component
public class GraceTimer {
    private final Scheduler scheduler;

    @Autowired
    public GraceTimer() {
        this(Schedulers.parallel());
    }

    public GraceTimer(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Runs {@code task} once {@code delay} has passed; the task must not block. */
    public Disposable after(Duration delay, Runnable task) {
        return scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
}
