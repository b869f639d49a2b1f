package org.mcpplatform.projection;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.LoggingQueryInvocationErrorHandler;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryBusSpanFactory;
import org.axonframework.queryhandling.QueryInvocationErrorHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What every read model in the SQL database shares: the token store (tokens in the same transaction as the rows they
 * account for), the dead-letter table layout, how a projection's processor runs, rebuilds beside the live read models,
 * the query bus, and the migrations' dialect placeholders.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
public class ReadModelConfiguration {

    /** The token store's table (V2__axon_token_store.sql). */
    public static final String TOKEN_TABLE = "token_entry";

    public static final DeadLetterSchema DEAD_LETTER_SCHEMA = DeadLetterSchema.builder()
            .deadLetterTable("dead_letter_entry")
            .deadLetterIdentifierColumn("dead_letter_id")
            .processingGroupColumn("processing_group")
            .sequenceIdentifierColumn("sequence_identifier")
            .sequenceIndexColumn("sequence_index")
            .messageTypeColumn("message_type")
            .eventIdentifierColumn("event_identifier")
            .timestampColumn("time_stamp")
            .payloadTypeColumn("payload_type")
            .payloadRevisionColumn("payload_revision")
            .payloadColumn("payload")
            .metaDataColumn("meta_data")
            .aggregateTypeColumn("aggregate_type")
            .aggregateIdentifierColumn("aggregate_identifier")
            .sequenceNumberColumn("sequence_number")
            .tokenTypeColumn("token_type")
            .tokenColumn("token")
            .enqueuedAtColumn("enqueued_at")
            .lastTouchedColumn("last_touched")
            .processingStartedColumn("processing_started")
            .causeTypeColumn("cause_type")
            .causeMessageColumn("cause_message")
            .diagnosticsColumn("diagnostics")
            .build();

    /**
     * The processor of a projection into this database. One tracking processor, one segment: an aggregate's events
     * must be applied in order and a projection is cheap per event, so one thread keeps up with the command side.
     * Errors propagate (the batch is retried with back-off, never skipped); an event whose handler fails is parked in
     * the group's dead-letter queue, with every later event of the same aggregate behind it, and the projection
     * leaves it out of the read model ({@link ParkedEvents}).
     */
    public static void registerProjectionProcessor(EventProcessingConfigurer processing,
                                                   String group,
                                                   ProjectionProperties properties,
                                                   ConnectionProvider readModelConnectionProvider,
                                                   Serializer serializer,
                                                   Serializer eventSerializer) {
        processing.registerTrackingEventProcessor(
                          group,
                          Configuration::eventStore,
                          c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                                                  .andBatchSize(properties.batchSize())
                                                                  .andInitialSegmentsCount(1))
                  .registerErrorHandler(group, c -> PropagatingErrorHandler.instance())
                  .registerDeadLetterQueue(group, c -> new ParkedEvents(
                          JdbcSequencedDeadLetterQueue.<EventMessage<?>>builder()
                                                      .processingGroup(group)
                                                      .connectionProvider(readModelConnectionProvider)
                                                      .transactionManager(c.getComponent(TransactionManager.class))
                                                      .schema(DEAD_LETTER_SCHEMA)
                                                      .genericSerializer(serializer)
                                                      .eventSerializer(eventSerializer)
                                                      .build()));
    }

    /**
     * Everything that reads or writes the read model through Axon (token store, dead-letter queues, processors) gets
     * its connections here, so it comes after the migrations (Spring Boot orders beans that depend on database
     * initialization after Flyway; JdbcTemplate users are ordered so already).
     */
    @Bean
    @DependsOnDatabaseInitialization
    public ConnectionProvider readModelConnectionProvider(DataSource dataSource) {
        return new UnitOfWorkAwareConnectionProviderWrapper(new SpringDataSourceConnectionProvider(dataSource));
    }

    /**
     * The owner recorded with a claim is this application's own: Axon's default (the JVM's pid@host) would make two
     * platform instances in one JVM (as tests run them) count as one node, each taking the other's claims for its own.
     */
    @Bean
    public TokenStore tokenStore(ConnectionProvider readModelConnectionProvider, Serializer serializer) {
        return JdbcTokenStore.builder()
                             .connectionProvider(readModelConnectionProvider)
                             .serializer(serializer)
                             .nodeId(ManagementFactory.getRuntimeMXBean().getName() + "/"
                                             + UUID.randomUUID().toString().substring(0, 8))
                             .schema(TokenSchema.builder()
                                                .setTokenTable(TOKEN_TABLE)
                                                .setProcessorNameColumn("processor_name")
                                                .setSegmentColumn("segment")
                                                .setTokenColumn("token")
                                                .setTokenTypeColumn("token_type")
                                                .setTimestampColumn("timestamp")
                                                .setOwnerColumn("owner")
                                                .build())
                             .claimTimeout(Duration.ofSeconds(10))
                             .contentType(byte[].class)
                             .build();
    }

    /** Rebuilds of the read models declared as {@link RebuildableProjection} beans, beside the live ones. */
    @Bean
    public ProjectionRebuilds projectionRebuilds(List<RebuildableProjection> projections,
                                                 EventProcessingConfiguration processing,
                                                 EventStore eventStore,
                                                 TokenStore tokenStore,
                                                 TransactionManager transactionManager,
                                                 DataSource dataSource,
                                                 JdbcTemplate jdbcTemplate,
                                                 ProjectionProperties properties,
                                                 ApplicationEventPublisher listeners) {
        return new ProjectionRebuilds(projections, processing, eventStore, tokenStore, transactionManager,
                                      new RebuildStore(jdbcTemplate), ShadowTables.of(dataSource), jdbcTemplate,
                                      properties, listeners, Clock.systemUTC());
    }

    /** Queries need no transaction around them; reads are single statements. */
    @Bean
    @Qualifier("localSegment")
    public SimpleQueryBus queryBus(Configuration axonConfiguration) {
        return SimpleQueryBus.builder()
                             .messageMonitor(axonConfiguration.messageMonitor(QueryBus.class, "queryBus"))
                             .transactionManager(NoTransactionManager.INSTANCE)
                             .errorHandler(axonConfiguration.getComponent(
                                     QueryInvocationErrorHandler.class,
                                     () -> LoggingQueryInvocationErrorHandler.builder().build()))
                             .queryUpdateEmitter(axonConfiguration.getComponent(QueryUpdateEmitter.class))
                             .spanFactory(axonConfiguration.getComponent(QueryBusSpanFactory.class))
                             .build();
    }

    /** MySQL and MariaDB get InnoDB and utf8mb4; the embedded H2 database takes the same DDL without them. */
    @Bean
    public FlywayConfigurationCustomizer dialectPlaceholders(DataSource dataSource) {
        return configuration -> configuration.placeholders(Map.of("table_options", tableOptions(jdbcUrl(dataSource))));
    }

    /** What ${table_options} stands for in the migrations on the database at {@code jdbcUrl}. */
    public static String tableOptions(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:h2:") ? "" : "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";
    }

    private static String jdbcUrl(DataSource dataSource) {
        try (var connection = dataSource.getConnection()) {
            return connection.getMetaData().getURL();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Cannot reach the read-model database: " + e.getMessage(), e);
        }
    }
}
