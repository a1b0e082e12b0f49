package dev.parley.history;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;

/** Health of the message log ("store"): the database answers and the writer keeps up. */
final class StoreHealthIndicator implements ReactiveHealthIndicator {
    private final DataSource dataSource;
    private final GroupCommitWriter writer;
    private final StoreThreads threads;
    private final int queueMax;

    StoreHealthIndicator(DataSource dataSource, GroupCommitWriter writer, StoreThreads threads, int queueMax) {
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
                .map(ok -> (queued < queueMax ? Health.up() : Health.outOfService())
                        .withDetail("queued", queued).build())
                .onErrorResume(e -> Mono.just(Health.down(e).withDetail("queued", queued).build()));
    }
}
