package dev.parley.storage;

import dev.parley.account.TokenStore;
import dev.parley.config.ParleyProperties;
import dev.parley.history.MessageStore;
import dev.parley.history.ReadMarkStore;
import dev.parley.identity.UserStore;
import dev.parley.room.RoomStore;
import dev.parley.stats.ParleyMetrics;
import dev.parley.storage.writer.StoreWriter;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

/**
 * Wires the store on its own threads ({@link StoreThreads}): one writer, this node's only writing connection, so
 * its writes reach the database in the order they were submitted; and a small bounded pool for reads.
 */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {
    /** Reads waiting for a read thread before more are refused as {@code rate_limited}. */
    static final int READ_QUEUE = 10_000;

    @Bean(destroyMethod = "close")
    StoreThreads storeThreads(ParleyProperties properties) {
        return new StoreThreads(properties.store().readThreads(), READ_QUEUE);
    }

    @Bean
    @DependsOnDatabaseInitialization
    StoreWriter storeWriter(DataSource dataSource, StoreThreads threads,
                                        ParleyMetrics metrics, ParleyProperties properties) {
        return new StoreWriter(dataSource, threads.writer(), metrics,
                properties.store().batchMax(), properties.store().queueMax());
    }

    @Bean
    @DependsOnDatabaseInitialization
    MessageStore messageStore(DataSource dataSource, StoreWriter writer, StoreThreads threads) {
        return new JdbcMessageStore(dataSource, writer, threads);
    }

    @Bean
    @DependsOnDatabaseInitialization
    ReadMarkStore readMarkStore(DataSource dataSource, StoreWriter writer, StoreThreads threads) {
        return new JdbcReadMarkStore(dataSource, writer, threads);
    }

    @Bean
    @DependsOnDatabaseInitialization
    RoomStore roomStore(DataSource dataSource, StoreWriter writer, StoreThreads threads, ParleyProperties properties) {
        return new JdbcRoomStore(dataSource, writer, threads, properties.cluster().enabled());
    }

    @Bean
    @DependsOnDatabaseInitialization
    UserStore userStore(DataSource dataSource, StoreWriter writer, StoreThreads threads) {
        return new JdbcUserStore(dataSource, writer, threads);
    }

    @Bean
    @DependsOnDatabaseInitialization
    TokenStore tokenStore(DataSource dataSource, StoreWriter writer, StoreThreads threads) {
        return new JdbcTokenStore(dataSource, writer, threads);
    }

    @Bean
    StoreShutdown storeShutdown(StoreWriter writer, StoreThreads threads) {
        return new StoreShutdown(writer, threads);
    }

    @Bean
    StoreHealthIndicator storeHealthIndicator(DataSource dataSource, StoreWriter writer,
                                              StoreThreads threads, ParleyProperties properties) {
        return new StoreHealthIndicator(dataSource, writer, threads, properties.store().queueMax());
    }
}
