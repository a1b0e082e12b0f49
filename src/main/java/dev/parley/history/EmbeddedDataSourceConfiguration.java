package dev.parley.history;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.config.ParleyProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

import java.nio.file.Path;

/**
 * The embedded default: H2 in file mode under {@code parley.data-dir}, used unless
 * {@code spring.datasource.url} names another database. {@code WRITE_DELAY=0} makes every
 * commit reach the file before the ack, so an acked message survives {@code kill -9}.
 * The {@code async:} file system keeps a thread interrupt (a cancelled task somewhere)
 * from closing the database file for everyone.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDataSourceConfiguration.NoDataSourceUrl.class)
class EmbeddedDataSourceConfiguration {

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(ParleyProperties properties) {
        Path file = Path.of(properties.dataDir()).toAbsolutePath().normalize().resolve("parley");
        HikariConfig config = new HikariConfig();
        config.setPoolName("parley-store");
        config.setJdbcUrl("jdbc:h2:async:" + file + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        config.setUsername("sa");
        config.setPassword("");
        // the writer's connection, the read threads, and one spare for health and migrations
        config.setMaximumPoolSize(properties.store().readThreads() + 2);
        return new HikariDataSource(config);
    }

    static final class NoDataSourceUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !context.getEnvironment().containsProperty("spring.datasource.url");
        }
    }
}
