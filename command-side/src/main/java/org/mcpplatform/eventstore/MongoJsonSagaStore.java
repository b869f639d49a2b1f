package org.mcpplatform.eventstore;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import org.axonframework.modelling.saga.AssociationValue;
import org.axonframework.modelling.saga.AssociationValues;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.bson.Document;
import org.bson.types.Binary;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Sagas in a MongoDB collection, one document each: {@code sagaType}, {@code sagaIdentifier}, the serialized saga
 * ({@code serializedSaga}, {@code revision}) and its {@code associations} as {key, value} pairs, the layout of
 * axon-mongo's MongoSagaStore. That class cannot be used here: its builder's default-serializer fallback constructs
 * an XStream, so it does not even load without XStream on the class path, and the platform keeps XStream out.
 */
public class MongoJsonSagaStore implements SagaStore<Object> {

    private final MongoCollection<Document> sagas;
    private final Serializer serializer;

    public MongoJsonSagaStore(MongoCollection<Document> sagas, Serializer serializer) {
        this.sagas = sagas;
        this.serializer = serializer;
        sagas.createIndex(Indexes.ascending("sagaIdentifier"), new IndexOptions().unique(true));
        sagas.createIndex(Indexes.ascending("sagaType", "associations.key", "associations.value"));
    }

    @Override
    public Set<String> findSagas(Class<?> sagaType, AssociationValue associationValue) {
        Set<String> found = new HashSet<>();
        sagas.find(Filters.and(Filters.eq("sagaType", typeName(sagaType)),
                               Filters.elemMatch("associations",
                                                 Filters.and(Filters.eq("key", associationValue.getKey()),
                                                             Filters.eq("value", associationValue.getValue())))))
             .projection(new Document("sagaIdentifier", 1))
             .forEach(document -> found.add(document.getString("sagaIdentifier")));
        return found;
    }

    @Override
    public <S> Entry<S> loadSaga(Class<S> sagaType, String sagaIdentifier) {
        Document document = sagas.find(Filters.eq("sagaIdentifier", sagaIdentifier)).first();
        if (document == null) {
            return null;
        }
        byte[] data = document.get("serializedSaga", Binary.class).getData();
        S saga = serializer.deserialize(new SimpleSerializedObject<>(data, byte[].class,
                                                                     document.getString("sagaType"),
                                                                     document.getString("revision")));
        Set<AssociationValue> associations = new HashSet<>();
        for (Document association : document.getList("associations", Document.class, List.of())) {
            associations.add(new AssociationValue(association.getString("key"), association.getString("value")));
        }
        return new Entry<>() {
            @Override
            public Set<AssociationValue> associationValues() {
                return associations;
            }

            @Override
            public S saga() {
                return saga;
            }
        };
    }

    @Override
    public void deleteSaga(Class<?> sagaType, String sagaIdentifier, Set<AssociationValue> associationValues) {
        sagas.deleteOne(Filters.eq("sagaIdentifier", sagaIdentifier));
    }

    @Override
    public void insertSaga(Class<?> sagaType, String sagaIdentifier, Object saga,
                           Set<AssociationValue> associationValues) {
        sagas.insertOne(document(sagaIdentifier, saga, associationValues));
    }

    @Override
    public void updateSaga(Class<?> sagaType, String sagaIdentifier, Object saga,
                           AssociationValues associationValues) {
        sagas.replaceOne(Filters.eq("sagaIdentifier", sagaIdentifier),
                         document(sagaIdentifier, saga, associationValues.asSet()),
                         new ReplaceOptions().upsert(true));
    }

    private Document document(String sagaIdentifier, Object saga, Set<AssociationValue> associationValues) {
        SerializedObject<byte[]> serialized = serializer.serialize(saga, byte[].class);
        List<Document> associations = new ArrayList<>();
        for (AssociationValue association : associationValues) {
            associations.add(new Document("key", association.getKey()).append("value", association.getValue()));
        }
        return new Document("sagaType", serialized.getType().getName())
                .append("revision", serialized.getType().getRevision())
                .append("sagaIdentifier", sagaIdentifier)
                .append("serializedSaga", new Binary(serialized.getData()))
                .append("associations", associations);
    }

    private String typeName(Class<?> sagaType) {
        return serializer.typeForClass(sagaType).getName();
    }
}
