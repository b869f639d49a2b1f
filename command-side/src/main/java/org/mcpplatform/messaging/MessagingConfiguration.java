package org.mcpplatform.messaging;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.mcpplatform.identity.ActorMetaData;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * How messages travel and are stored: one Jackson serializer for events, snapshots, tokens and sagas (no XStream),
 * a command bus without a SQL transaction around commands (the event store is MongoDB), and a command gateway that
 * retries a command whose append lost a race with another node.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
public class MessagingConfiguration {

    /**
     * A mapper of its own, not the web layer's: stored events keep their camelCase field names whatever JSON style the
     * API uses, and unknown fields are ignored so that older code can read newer events.
     */
    static ObjectMapper storageObjectMapper() {
        return new ObjectMapper().findAndRegisterModules()
                                 .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                                 .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @Bean
    @Primary
    public Serializer serializer() {
        return JacksonSerializer.builder().objectMapper(storageObjectMapper()).build();
    }

    @Bean
    @Qualifier("eventSerializer")
    public Serializer eventSerializer() {
        return JacksonSerializer.builder().objectMapper(storageObjectMapper()).build();
    }

    @Bean
    @Qualifier("messageSerializer")
    public Serializer messageSerializer() {
        return JacksonSerializer.builder().objectMapper(storageObjectMapper()).build();
    }

    @Bean
    public CorrelationDataProvider messageOriginProvider() {
        return new MessageOriginProvider();
    }

    /**
     * Who acted, in which role, and in which request travel from each command to the events it causes (the audit
     * trail shows them).
     */
    @Bean
    public CorrelationDataProvider actorCorrelationDataProvider() {
        return new SimpleCorrelationDataProvider(ActorMetaData.USER_ID, ActorMetaData.REQUEST_ID, ActorMetaData.ROLE);
    }

    @Bean
    @Qualifier("localSegment")
    public SimpleCommandBus commandBus(Configuration axonConfiguration,
                                       DuplicateCommandHandlerResolver duplicateCommandHandlerResolver) {
        SimpleCommandBus commandBus =
                SimpleCommandBus.builder()
                                .transactionManager(NoTransactionManager.INSTANCE)
                                .duplicateCommandHandlerResolver(duplicateCommandHandlerResolver)
                                .spanFactory(axonConfiguration.getComponent(CommandBusSpanFactory.class))
                                .messageMonitor(axonConfiguration.messageMonitor(CommandBus.class, "commandBus"))
                                .build();
        commandBus.registerHandlerInterceptor(
                new CorrelationDataInterceptor<>(axonConfiguration.correlationDataProviders()));
        // handler interceptor beans (the CommandAuthorization) are added after this one by Axon's
        // InterceptorAutoConfiguration; registering them here as well would run them twice
        return commandBus;
    }

    @Bean(destroyMethod = "shutdownNow")
    public ScheduledExecutorService commandRetryExecutor() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "command-retry");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Commands on one aggregate in one node queue on the aggregate's lock; across nodes the loser of a race is retried
     * against the reloaded aggregate (see {@link ConcurrencyRetryScheduler}).
     */
    @Bean
    public CommandGateway commandGateway(CommandBus commandBus,
                                         ScheduledExecutorService commandRetryExecutor,
                                         ObjectProvider<MessageDispatchInterceptor<? super CommandMessage<?>>> dispatchInterceptors) {
        return DefaultCommandGateway.builder()
                                    .commandBus(commandBus)
                                    .retryScheduler(new ConcurrencyRetryScheduler(commandRetryExecutor, 8, 10))
                                    .dispatchInterceptors(dispatchInterceptors.orderedStream().toList())
                                    .build();
    }
}
