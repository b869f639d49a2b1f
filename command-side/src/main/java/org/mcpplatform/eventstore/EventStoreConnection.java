package org.mcpplatform.eventstore;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The MongoDB the event store lives in: the one at {@code MONGODB_URI}, or, when that is unset, the in-process
 * MongoDB wire-protocol server started here on a loopback port (its H2 file under the data directory). Either way the
 * rest of the platform talks to it with the real MongoDB driver.
 */
public class EventStoreConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventStoreConnection.class);

    private static final int CACHE_MB = 64;
    /**
     * MVStore writes its changes to the file in the background, at most this long after they were made: a hard kill
     * of the process can lose the events of the last second (a clean shutdown loses nothing). H2's own default, on
     * purpose: with 100 ms the store wrote a new chunk ten times a second, the file grew by ~22 KB per event under
     * sustained load, and twice in two runs a file written under such load could not be opened again ("Chunk not
     * found"); with the default, ~7 KB per event and no damaged file. Production runs on MongoDB, where the write
     * concern decides durability.
     */
    private static final int AUTO_COMMIT_DELAY_MS = 1000;

    private final MongoServer embeddedServer;
    private final MongoClient client;
    private final MongoDatabase database;

    public EventStoreConnection(EventStoreProperties properties) {
        String uri;
        if (properties.embedded()) {
            embeddedServer = new MongoServer(backend(properties));
            embeddedServer.bind(new InetSocketAddress("127.0.0.1", 0));
            InetSocketAddress address = embeddedServer.getLocalAddress();
            uri = "mongodb://127.0.0.1:" + address.getPort();
            log.info("Started the in-process MongoDB server ({} backend) on {}", properties.embeddedBackend(), address);
        } else {
            embeddedServer = null;
            uri = properties.mongodbUri();
        }
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(5, TimeUnit.SECONDS))
                .applyToSocketSettings(socket -> socket.connectTimeout(5, TimeUnit.SECONDS)
                                                       .readTimeout(30, TimeUnit.SECONDS))
                .build();
        client = MongoClients.create(settings);
        database = client.getDatabase(properties.database());
    }

    private static de.bwaldvogel.mongo.MongoBackend backend(EventStoreProperties properties) {
        if (properties.embeddedBackend() == EventStoreProperties.EmbeddedBackend.MEMORY) {
            return new MemoryBackend();
        }
        Path dir = Path.of(properties.dataDir());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + dir.toAbsolutePath()
                                                   + " (MCP_DATA_DIR)", e);
        }
        Path file = dir.resolve("eventstore.mv");
        MVStore store;
        try {
            store = new MVStore.Builder().fileName(file.toString()).cacheSize(CACHE_MB).open();
        } catch (MVStoreException e) {
            if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                throw new IllegalStateException("The event store " + file.toAbsolutePath() + " is in use by another "
                        + "running platform: stop it, or give this one its own MCP_DATA_DIR", e);
            }
            throw e;
        }
        store.setAutoCommitDelay(AUTO_COMMIT_DELAY_MS);
        return new EmbeddedH2Backend(store);
    }

    public MongoClient client() {
        return client;
    }

    public MongoDatabase database() {
        return database;
    }

    public boolean isEmbedded() {
        return embeddedServer != null;
    }

    @Override
    public void close() {
        client.close();
        if (embeddedServer != null) {
            embeddedServer.shutdownNow();
            log.info("Stopped the in-process MongoDB server");
        }
    }
}
