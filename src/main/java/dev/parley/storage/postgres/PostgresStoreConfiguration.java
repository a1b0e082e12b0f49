package dev.parley.storage.postgres;

import dev.parley.config.ParleyProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;

/**
 * The store on a database of the team's (PostgreSQL, named by {@code spring.datasource.url}): Spring Boot makes
 * its pool; this migrates it and, once, brings in an embedded store ({@code parley.store.import-from}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("spring.datasource.url")
class PostgresStoreConfiguration {

    @Bean
    FlywayMigrationStrategy migrateThenImportEmbeddedStore(ParleyProperties properties) {
        return flyway -> {
            flyway.migrate();
            String from = properties.store().importFrom();
            if (!from.isBlank()) {
                new EmbeddedStoreImport(Path.of(from)).importInto(flyway.getConfiguration().getDataSource());
            }
        };
    }
}
