package dev.parley.storage;

import dev.parley.storage.writer.StoreWriter;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import javax.sql.DataSource;

/** Health of the message log ("store"): UP while the database answers; the writer's backlog is a detail. */
final class StoreHealthIndicator implements ReactiveHealthIndicator {
    private final DataSource dataSource;
    private final StoreWriter writer;
    private final StoreThreads threads;
    private final int queueMax;

    StoreHealthIndicator(DataSource dataSource, StoreWriter writer, StoreThreads threads, int queueMax) {
        this.dataSource = dataSource;
        this.writer = writer;
        this.threads = threads;
        this.queueMax = queueMax;
    }

    @Override
    public Mono<Health> health() {
        int queued = writer.queued();
        return threads.read(dataSource, c -> {
                    try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM messages WHERE seq < 0");
                         ResultSet rs = q.executeQuery()) {
                        return rs.next();
                    }
                })
                .timeout(Duration.ofSeconds(5))
                // a full write queue is load, not a fault: reported, but not a reason to restart
                .map(ok -> Health.up().withDetail("queued", queued).withDetail("saturated", queued >= queueMax).build())
                .onErrorResume(e -> Mono.just(Health.down(e).withDetail("queued", queued).build()));
    }
}
