package org.mcpplatform.support;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.mcpplatform.McpPlatformApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Several platform nodes in one test, as docker-compose.yml runs them: one MongoDB (an in-process server reached
 * through MONGODB_URI), one MariaDB database, one Redis key prefix and one access-token key pair, each node on a port of
 * its own. Settings are command-line arguments, which win over application.yml.
 */
public final class PlatformNodes implements AutoCloseable {

    private final MongoServer mongo;
    private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

    private PlatformNodes(MongoServer mongo) {
        this.mongo = mongo;
    }

    /** Starts {@code count} nodes from {@code sources}; {@code settings} gives each node (by index) extra arguments. */
    public static PlatformNodes start(int count, List<Class<?>> sources, IntFunction<List<String>> settings) {
        MongoServer mongo = new MongoServer(new MemoryBackend());
        mongo.bind(new InetSocketAddress("127.0.0.1", 0));
        PlatformNodes started = new PlatformNodes(mongo);
        String mongoUri = "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort();
        String database = TestServices.freshDatabase();
        String redisPrefix = TestServices.freshRedisPrefix();
        McpPlatformApplication.disableAxonUpdateCheckUnlessAsked();
        try {
            for (int i = 0; i < count; i++) {
                List<String> arguments = new ArrayList<>(List.of(
                        "--server.port=0",
                        "--mcp.event-store.mongodb-uri=" + mongoUri,
                        "--spring.datasource.url=" + database,
                        "--spring.datasource.username=" + TestServices.MYSQL_USER,
                        "--spring.datasource.password=" + TestServices.MYSQL_PASSWORD,
                        "--mcp.cache.redis-url=" + TestServices.REDIS_URL,
                        "--mcp.cache.key-prefix=" + redisPrefix,
                        "--mcp.cache.timeout=500ms",
                        "--mcp.identity.admin-password=" + TestServices.ADMIN_PASSWORD,
                        // one signing key for every node, as production configures it through MCP_JWT_PRIVATE_KEY
                        "--mcp.tokens.data-dir=target/test-data",
                        // the tests fire bursts of requests as one administrator
                        "--mcp.rate-limit.write-per-minute=1000000",
                        "--mcp.rate-limit.read-per-minute=1000000",
                        "--mcp.deployments.data-dir=target/test-data/deployments"));
                arguments.addAll(settings.apply(i));
                started.nodes.add(new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
                                          .run(arguments.toArray(String[]::new)));
            }
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    public ConfigurableApplicationContext node(int index) {
        return nodes.get(index);
    }

    public int port(int index) {
        return ((WebServerApplicationContext) nodes.get(index)).getWebServer().getPort();
    }

    /** The bootstrap administrator's client of a node. */
    public Api api(int index) {
        return new Api(port(index));
    }

    @Override
    public void close() {
        nodes.forEach(ConfigurableApplicationContext::close);
        mongo.shutdownNow();
    }
}
