package org.mcpplatform.eventstore;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ObjectDataType;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * mongo-java-server's H2 file backend with one change: its unique indexes compare keys directly instead of through
 * Java serialization.
 * <p>
 * The stock backend keeps each unique index in an H2 map keyed by the server's {@code KeyValue}, which is not
 * {@link Comparable}; H2's generic type then orders such keys by serializing both sides with
 * {@code ObjectOutputStream} on every comparison of every binary search. Every event append (two unique indexes) and
 * every lookup by id or position paid that many times over: it was the largest single cost of a replay and of a
 * command. Here the keys are compared element by element with the server's own value order, falling back to the
 * serialized order only where that order calls two different values equal, so a key is unique exactly when it was
 * before. Keys are still written to the file by H2's generic type. The order of keys in an index differs from the
 * stock backend's, so an event store file written by the stock backend is not read by this one (none exists: the
 * platform always used this backend).
 */
final class EmbeddedH2Backend extends H2Backend {

    EmbeddedH2Backend(MVStore store) {
        super(store);
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new Database(databaseName);
    }

    /**
     * An inner class on purpose: H2Database opens its indexes from its own constructor, before a field of a
     * subclass could be set, while the reference to the enclosing backend (and so its store) is set before that.
     */
    private final class Database extends H2Database {

        Database(String databaseName) {
            super(databaseName, getMvStore(), getCursorRegistry());
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName,
                                                        List<IndexKey> keys, boolean sparse) {
            // the same map name as the stock backend, so that dropping an index removes its map
            String mapName = getFullCollectionNamespace(collectionName) + "._index_" + indexName;
            MVMap<KeyValue, Object> map = getMvStore().openMap(
                    mapName, new MVMap.Builder<KeyValue, Object>().keyType(new KeyValueType()));
            return new UniqueIndex(map, indexName, keys, sparse);
        }
    }

    /** H2's generic type with a direct comparison for index keys. */
    private static final class KeyValueType extends ObjectDataType {

        private static final Comparator<Object> VALUES = ValueComparator.asc();

        @Override
        public int compare(Object a, Object b) {
            if (a instanceof KeyValue left && b instanceof KeyValue right) {
                int sizes = Integer.compare(left.size(), right.size());
                if (sizes != 0) {
                    return sizes;
                }
                for (int i = 0; i < left.size(); i++) {
                    Object x = left.get(i);
                    Object y = right.get(i);
                    int order = VALUES.compare(x, y);
                    if (order == 0 && !Objects.equals(x, y)) {
                        return super.compare(a, b);
                    }
                    if (order != 0) {
                        return order;
                    }
                }
                return 0;
            }
            return super.compare(a, b);
        }
    }

    /** The stock H2 unique index (its constructor is not public), over a map with {@link KeyValueType} keys. */
    private static final class UniqueIndex extends AbstractUniqueIndex<Object> {

        private final MVMap<KeyValue, Object> map;

        UniqueIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse) {
            super(name, keys, sparse);
            this.map = map;
        }

        @Override
        protected Object removeDocument(KeyValue keyValue) {
            return map.remove(keyValue);
        }

        @Override
        protected boolean putKeyPosition(KeyValue keyValue, Object position) {
            return map.putIfAbsent(keyValue, Missing.ofNullable(position)) == null;
        }

        @Override
        protected Iterable<Map.Entry<KeyValue, Object>> getIterable() {
            return map.entrySet();
        }

        @Override
        protected Object getPosition(KeyValue keyValue) {
            return map.get(keyValue);
        }

        @Override
        public long getCount() {
            return map.sizeAsLong();
        }

        @Override
        public boolean isEmpty() {
            return map.isEmpty();
        }

        @Override
        public long getDataSize() {
            return getCount();
        }
    }
}
