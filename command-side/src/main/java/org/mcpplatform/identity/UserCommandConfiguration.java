package org.mcpplatform.identity;

import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.Repository;
import org.mcpplatform.eventstore.EventStoreConnection;
import org.mcpplatform.eventstore.EventStoreProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
public class UserCommandConfiguration {

    static final String USER_CREDENTIALS = "usercredentials";
    static final String API_KEY_CREDENTIALS = "apikeycredentials";

    @Bean
    public UserRules userRules() {
        return new UserRules(Clock.systemUTC());
    }

    /** Orphaned claims are healed after the same age as orphaned slug claims: both outlast any registration. */
    @Bean
    public UserCredentials userCredentials(EventStoreConnection connection, EventStore eventStore,
                                           EventStoreProperties properties) {
        return new UserCredentials(connection.database().getCollection(USER_CREDENTIALS), eventStore,
                                   properties.slugClaimOrphanAfter(), Clock.systemUTC());
    }

    @Bean
    public ApiKeyCredentials apiKeyCredentials(EventStoreConnection connection) {
        return new ApiKeyCredentials(connection.database().getCollection(API_KEY_CREDENTIALS));
    }

    @Bean
    public UserRegistration userRegistration(@Lazy Repository<UserAccount> userAccountRepository,
                                             UserCredentials credentials, UserRules rules) {
        return new UserRegistration(userAccountRepository, credentials, rules);
    }

    /** An account with many API keys has many events; a snapshot keeps loading it cheap. */
    @Bean
    public SnapshotTriggerDefinition userSnapshotTrigger(Snapshotter snapshotter, EventStoreProperties properties) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, properties.snapshotThreshold());
    }

    /**
     * Axon's InterceptorAutoConfiguration registers every command handler interceptor bean on the command bus; it is
     * not registered in {@code MessagingConfiguration} as well, where it would run twice.
     */
    @Bean
    public CommandAuthorization commandAuthorization() {
        return new CommandAuthorization();
    }
}
