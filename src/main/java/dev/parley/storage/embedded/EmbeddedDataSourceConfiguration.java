package dev.parley.storage.embedded;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.config.ParleyProperties;
import dev.parley.storage.writer.StoreWriter;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded default: SQLite in WAL mode, the file {@code parley.db} under {@code parley.data-dir}, used unless
 * {@code spring.datasource.url} names another database.
 * <ul>
 * <li>{@code synchronous=NORMAL}: every commit is in the write-ahead log before the ack, so an acked message
 *     survives {@code kill -9}; without an fsync per commit, a power cut may take the last commits. The engine
 *     it replaced (H2, {@code WRITE_DELAY=0}) promised the same.</li>
 * <li>The store's writer thread is the only writing connection; reads run beside it without locks (WAL), and
 *     so do checkpoints ({@link WalCheckpointer}).</li>
 * <li>Why not H2 any more: a one-row commit cost H2 123-159 µs of CPU and 27 KB of garbage, SQLite 33 µs and
 *     1.4 KB (docs/benchmarks.md). A store of an earlier build is imported at the first start
 *     ({@link LegacyH2Import}).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDataSourceConfiguration.NoDataSourceUrl.class)
public class EmbeddedDataSourceConfiguration {
    public static final String FILE_NAME = "parley.db";

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(ParleyProperties properties) throws IOException {
        // SQLite makes the file, not the folders on its way
        Path dir = Files.createDirectories(dataDir(properties));
        // the writer's connection, the read threads, the checkpointer, and one spare for health and migrations
        return sqlite(dir.resolve(FILE_NAME), properties.store().readThreads() + 3);
    }

    @Bean(destroyMethod = "close")
    @DependsOnDatabaseInitialization
    WalCheckpointer walCheckpointer(HikariDataSource dataSource, StoreWriter writer) {
        return new WalCheckpointer(dataSource, writer::commits);
    }

    /** Migrates, then brings in the store of an earlier build if one is there, before any store reads it. */
    @Bean
    FlywayMigrationStrategy migrateThenImportLegacyStore(ParleyProperties properties) {
        return flyway -> {
            flyway.migrate();
            new LegacyH2Import(dataDir(properties)).importInto(flyway.getConfiguration().getDataSource());
        };
    }

    /** A pool of connections to the SQLite file, each set up as the store needs it. */
    public static HikariDataSource sqlite(Path file, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("parley-store");
        config.setJdbcUrl("jdbc:sqlite:" + file);
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", "NORMAL");
        // only migrations and the import write beside the writer, at startup; a wait there beats a failure
        config.addDataSourceProperty("busy_timeout", "10000");
        // checkpoints run beside the writer rather than inside its commits (WalCheckpointer)
        config.setConnectionInitSql(WalCheckpointer.connectionInitSql());
        config.setMaximumPoolSize(poolSize);
        return new HikariDataSource(config);
    }

    private static Path dataDir(ParleyProperties properties) {
        return Path.of(properties.dataDir()).toAbsolutePath().normalize();
    }

    static final class NoDataSourceUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !context.getEnvironment().containsProperty("spring.datasource.url");
        }
    }
}
