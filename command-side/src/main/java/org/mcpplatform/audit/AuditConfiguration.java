package org.mcpplatform.audit;

import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

    /** Reads payloads and metadata with the mapper that wrote them. */
    @Bean
    public EventLog eventLog(MongoTemplate eventStoreMongoTemplate,
                             @Qualifier("eventSerializer") Serializer eventSerializer) {
        if (!(eventSerializer instanceof JacksonSerializer jackson)) {
            throw new IllegalStateException("the event log reads events stored as JSON by a JacksonSerializer");
        }
        return new EventLog(eventStoreMongoTemplate::eventCollection, jackson.getObjectMapper());
    }
}
