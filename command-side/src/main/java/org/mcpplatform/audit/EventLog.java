package org.mcpplatform.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.documentperevent.EventEntryConfiguration;
import org.axonframework.queryhandling.QueryHandler;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.mcpplatform.eventstore.PositionedEventStorageStrategy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static org.axonframework.common.DateTimeUtils.formatInstant;

/**
 * The raw event log, read straight from the event store's events collection: the audit trail of who changed what and
 * in which request.
 * <p>
 * A plain filtered find, sorted by global position, so that it works the same on a real MongoDB and on the in-process
 * server (which scans for anything but equality on a unique index; an operator's audit query can afford that).
 * Timestamps are stored as fixed-width ISO-8601 text (Axon's {@code formatInstant}), so a range on the text is a range
 * in time. Payloads and metadata are shown as stored, not upcast: this is the record, not its current reading.
 */
public class EventLog {

    /** Metadata entries whose name looks like a credential never leave the store, whatever put them there. */
    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(token|authori[sz]ation|password|secret|api[_-]?key|credential|cookie).*");

    private static final String ID = "_id";

    private final Supplier<MongoCollection<Document>> events;
    private final ObjectMapper json;
    private final EventEntryConfiguration fields = EventEntryConfiguration.getDefault();

    /**
     * @param events the events collection (a supplier: the template opens it lazily)
     * @param json   the event serializer's mapper, which wrote the payloads and metadata
     */
    public EventLog(Supplier<MongoCollection<Document>> events, ObjectMapper json) {
        this.events = events;
        this.json = json;
    }

    @QueryHandler
    public EventPage handle(FindEvents query) {
        long skip = (long) (query.page() - 1) * query.pageSize();
        if (query.page() < 1 || query.pageSize() < 1 || skip > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("page and page size must be positive, and the page within reach");
        }
        List<Document> found = events.get()
                                     .find(filter(query))
                                     .sort(Sorts.ascending(PositionedEventStorageStrategy.GLOBAL_INDEX,
                                                           fields.timestampProperty()))
                                     .skip((int) skip)
                                     .limit(query.pageSize() + 1)
                                     .into(new ArrayList<>());
        boolean hasMore = found.size() > query.pageSize();
        List<EventLogEntry> entries = found.stream().limit(query.pageSize()).map(this::entry).toList();
        return new EventPage(entries, query.page(), query.pageSize(), hasMore);
    }

    private Bson filter(FindEvents query) {
        List<Bson> conditions = new ArrayList<>();
        if (query.aggregateId() != null) {
            conditions.add(Filters.eq(fields.aggregateIdentifierProperty(), query.aggregateId()));
            // event ids are <aggregate>:<sequence>: this range lets a real MongoDB answer from the _id index (there
            // is no index on aggregateIdentifier); the equality above keeps out ids of aggregates named "<id>:..."
            conditions.add(Filters.gte(ID, query.aggregateId() + ":"));
            conditions.add(Filters.lt(ID, query.aggregateId() + ";"));
        }
        if (query.type() != null) {
            // the full name, or any package's class of that simple name (nested classes end in $Name)
            conditions.add(Filters.or(
                    Filters.eq(fields.payloadTypeProperty(), query.type()),
                    Filters.regex(fields.payloadTypeProperty(), "[.$]" + Pattern.quote(query.type()) + "$")));
        }
        if (query.from() != null) {
            conditions.add(Filters.gte(fields.timestampProperty(), formatInstant(query.from())));
        }
        if (query.to() != null) {
            conditions.add(Filters.lt(fields.timestampProperty(), formatInstant(query.to())));
        }
        return conditions.isEmpty() ? new Document() : Filters.and(conditions);
    }

    private EventLogEntry entry(Document document) {
        String payloadType = document.getString(fields.payloadTypeProperty());
        Object position = document.get(PositionedEventStorageStrategy.GLOBAL_INDEX);
        return new EventLogEntry(document.getString(fields.eventIdentifierProperty()),
                                 position instanceof Number number ? number.longValue() : null,
                                 document.getString(fields.aggregateIdentifierProperty()),
                                 document.getString(fields.typeProperty()),
                                 ((Number) document.get(fields.sequenceNumberProperty())).longValue(),
                                 simpleName(payloadType),
                                 payloadType,
                                 Instant.parse(document.getString(fields.timestampProperty())),
                                 jsonText(document.get(fields.payloadProperty())),
                                 metadata(document.get(fields.metaDataProperty())));
    }

    private static String simpleName(String typeName) {
        if (typeName == null) {
            return null;
        }
        int cut = Math.max(typeName.lastIndexOf('.'), typeName.lastIndexOf('$'));
        return typeName.substring(cut + 1);
    }

    /** The stored JSON: text as written by the serializer, or a document where the store keeps JSON as BSON. */
    private String jsonText(Object stored) {
        if (stored == null) {
            return "null";
        }
        if (stored instanceof String text) {
            return text;
        }
        try {
            return json.writeValueAsString(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored event cannot be written as JSON", e);
        }
    }

    private Map<String, Object> metadata(Object stored) {
        Map<String, Object> values;
        try {
            values = json.readValue(jsonText(stored), new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored event metadata is not JSON", e);
        }
        if (values == null) {
            return Map.of();
        }
        values.keySet().removeIf(name -> SECRET_NAME.matcher(name).matches());
        return values;
    }
}
