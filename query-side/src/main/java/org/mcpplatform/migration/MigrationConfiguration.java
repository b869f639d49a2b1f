package org.mcpplatform.migration;

import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The read model's migrations at start-up: Spring Boot's Flyway runs them before any bean that uses the database is
 * created (beans reading tables are marked as depending on database initialization), with the rollback of a failed
 * migration as a callback, and a failure stops the start with a message naming the migration.
 */
@Configuration(proxyBeanMethods = false)
public class MigrationConfiguration {

    /** Spring Boot hands every Flyway callback bean to Flyway. */
    @Bean
    public FailedMigrationRollback failedMigrationRollback() {
        return new FailedMigrationRollback();
    }

    @Bean
    public FlywayMigrationStrategy rollingBackMigrationStrategy(FailedMigrationRollback rollback) {
        return rollback::migrate;
    }
}
