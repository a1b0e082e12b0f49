package dev.parley.history;

import dev.parley.config.ParleyProperties;
import dev.parley.stats.ParleyMetrics;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import javax.sql.DataSource;

/**
 * Wires the store: one writer thread (the only JDBC writer, so seq assignment needs no
 * locks) and a small bounded pool for reads. Neither is an event loop, so BlockHound lets
 * them block on JDBC.
 */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

    @Bean(destroyMethod = "dispose")
    Scheduler storeWriterThread() {
        return Schedulers.newSingle("parley-store-writer");
    }

    @Bean(destroyMethod = "dispose")
    Scheduler storeReadScheduler(ParleyProperties properties) {
        int threads = properties.store().readThreads();
        return Schedulers.newBoundedElastic(threads, 100_000, "parley-store-read");
    }

    @Bean
    @DependsOnDatabaseInitialization
    GroupCommitWriter groupCommitWriter(DataSource dataSource, Scheduler storeWriterThread,
                                        ParleyMetrics metrics, ParleyProperties properties) {
        return new GroupCommitWriter(dataSource, storeWriterThread, metrics,
                properties.store().batchMax(), properties.store().queueMax());
    }

    @Bean
    @DependsOnDatabaseInitialization
    MessageStore messageStore(DataSource dataSource, GroupCommitWriter writer, Scheduler storeReadScheduler) {
        return new JdbcMessageStore(dataSource, writer, storeReadScheduler);
    }

    @Bean
    @DependsOnDatabaseInitialization
    ReadMarkStore readMarkStore(DataSource dataSource, Scheduler storeReadScheduler) {
        return new JdbcReadMarkStore(dataSource, storeReadScheduler);
    }

    @Bean
    StoreShutdown storeShutdown(GroupCommitWriter writer, Scheduler storeWriterThread) {
        return new StoreShutdown(writer, storeWriterThread);
    }

    @Bean
    StoreHealthIndicator storeHealthIndicator(DataSource dataSource, GroupCommitWriter writer,
                                              Scheduler storeReadScheduler, ParleyProperties properties) {
        return new StoreHealthIndicator(dataSource, writer, storeReadScheduler, properties.store().queueMax());
    }
}
