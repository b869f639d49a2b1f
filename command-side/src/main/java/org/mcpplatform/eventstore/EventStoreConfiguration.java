package org.mcpplatform.eventstore;

import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoEventStorageEngine;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;
import org.axonframework.eventsourcing.SnapshotterSpanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The MongoDB event store without axon-mongo's starters (they stop at 4.10 and do not work with Axon 4.12): the
 * connection, the storage engine with position tracking, the event store, and the snapshotter.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
public class EventStoreConfiguration {

    /** Events, snapshots, tokens and sagas live in these collections of the event store database. */
    public static final String EVENTS = "domainevents";
    public static final String SNAPSHOTS = "snapshotevents";
    public static final String POSITIONS = "eventpositions";
    public static final String TOKENS = "trackingtokens";
    public static final String SAGAS = "sagas";

    @Bean(destroyMethod = "close")
    public EventStoreConnection eventStoreConnection(EventStoreProperties properties) {
        return new EventStoreConnection(properties);
    }

    @Bean
    public MongoTemplate eventStoreMongoTemplate(EventStoreConnection connection, EventStoreProperties properties) {
        return DefaultMongoTemplate.builder()
                                   .mongoDatabase(connection.client(), properties.database())
                                   .domainEventsCollectionName(EVENTS)
                                   .snapshotEventsCollectionName(SNAPSHOTS)
                                   .trackingTokensCollectionName(TOKENS)
                                   .sagasCollectionName(SAGAS)
                                   .build();
    }

    /**
     * Sagas (the deployment saga: its target, restart history, blocked tools) live next to the events they follow, in
     * the template's sagas collection, serialized as JSON like everything else.
     */
    @Bean
    public SagaStore<Object> sagaStore(MongoTemplate eventStoreMongoTemplate, Serializer serializer) {
        return new MongoJsonSagaStore(eventStoreMongoTemplate.sagaCollection(), serializer);
    }

    @Bean(destroyMethod = "close")
    public PositionedEventStorageStrategy eventStorageStrategy(EventStoreConnection connection,
                                                               EventStoreProperties properties) {
        return new PositionedEventStorageStrategy(connection.database().getCollection(POSITIONS),
                                                  properties.commitWindow(),
                                                  Clock.systemUTC());
    }

    @Bean
    public EventStorageEngine eventStorageEngine(MongoTemplate template,
                                                 PositionedEventStorageStrategy strategy,
                                                 @Qualifier("eventSerializer") Serializer eventSerializer,
                                                 Serializer snapshotSerializer,
                                                 List<EventUpcaster> upcasters,
                                                 EventStoreProperties properties) {
        MongoEventStorageEngine.Builder builder = MongoEventStorageEngine.builder()
                                                                         .eventSerializer(eventSerializer)
                                                                         .snapshotSerializer(snapshotSerializer)
                                                                         .upcasterChain(new EventUpcasterChain(upcasters))
                                                                         .batchSize(properties.batchSize());
        return new PositionedMongoEventStorageEngine(builder, template, strategy);
    }

    /** Named eventBus, as Axon's auto-configuration names its own, so that it backs off. */
    @Bean(name = "eventBus")
    public EmbeddedEventStore eventStore(EventStorageEngine storageEngine,
                                         Configuration configuration,
                                         EventStoreProperties properties) {
        return EmbeddedEventStore.builder()
                                 .storageEngine(storageEngine)
                                 .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                                 .fetchDelay(properties.fetchDelay().toMillis())
                                 .timeUnit(TimeUnit.MILLISECONDS)
                                 .build();
    }

    /**
     * Snapshots are taken on their own thread after the command's unit of work, off the request path, and outside any
     * SQL transaction (the event store is not in one).
     */
    @Bean(destroyMethod = "shutdown")
    public ExecutorService snapshotExecutor() {
        return Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "aggregate-snapshotter");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    public SpringAggregateSnapshotter aggregateSnapshotter(Configuration configuration,
                                            HandlerDefinition handlerDefinition,
                                            ParameterResolverFactory parameterResolverFactory,
                                            EventStore eventStore,
                                            SnapshotterSpanFactory spanFactory,
                                            ExecutorService snapshotExecutor) {
        SpringAggregateSnapshotter snapshotter =
                SpringAggregateSnapshotter.builder()
                                          .repositoryProvider(configuration::repository)
                                          .transactionManager(NoTransactionManager.INSTANCE)
                                          .eventStore(eventStore)
                                          .parameterResolverFactory(parameterResolverFactory)
                                          .handlerDefinition(handlerDefinition)
                                          .spanFactory(spanFactory)
                                          .executor(snapshotExecutor)
                                          .build();
        return snapshotter;
    }
}
