package org.mcpplatform.eventstore;

import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoEventStorageEngine;

import java.time.Instant;

/**
 * axon-mongo's engine with {@link PositionedEventStorageStrategy}: the engine asks its strategy for every query but
 * builds head and at-instant tokens itself, as timestamp tokens; here they are position tokens too.
 */
public class PositionedMongoEventStorageEngine extends MongoEventStorageEngine {

    private final PositionedEventStorageStrategy strategy;
    private final MongoTemplate template;

    public PositionedMongoEventStorageEngine(MongoEventStorageEngine.Builder builder,
                                             MongoTemplate template,
                                             PositionedEventStorageStrategy strategy) {
        super(builder.mongoTemplate(template)
                     .storageStrategy(strategy)
                     .persistenceExceptionResolver(PositionedEventStorageStrategy::isDuplicateKey));
        this.strategy = strategy;
        this.template = template;
    }

    @Override
    public TrackingToken createHeadToken() {
        return strategy.createHeadToken(template.eventCollection());
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return strategy.createTokenAt(template.eventCollection(), dateTime);
    }
}
