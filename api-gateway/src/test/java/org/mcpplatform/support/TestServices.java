package org.mcpplatform.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * The real services the tests run against (MariaDB and Redis on this machine, see README), each test context with a
 * database and a Redis key prefix of its own. {@code MCP_TEST_MYSQL_URL} (server URL without a database),
 * {@code MCP_TEST_MYSQL_USER}, {@code MCP_TEST_MYSQL_PASSWORD}, {@code MCP_TEST_REDIS_URL} and
 * {@code MCP_TEST_RABBITMQ_URL} point them elsewhere.
 */
public final class TestServices {

    public static final String MYSQL_SERVER = env("MCP_TEST_MYSQL_URL", "jdbc:mariadb://127.0.0.1:3306/");
    public static final String MYSQL_USER = env("MCP_TEST_MYSQL_USER", "root");
    public static final String MYSQL_PASSWORD = env("MCP_TEST_MYSQL_PASSWORD", "");
    public static final String REDIS_URL = env("MCP_TEST_REDIS_URL", "redis://127.0.0.1:6379");
    public static final String RABBITMQ_URL = env("MCP_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672");

    /** The bootstrap administrator of every test application (MCP_ADMIN_USERNAME / MCP_ADMIN_PASSWORD). */
    public static final String ADMIN_USERNAME = "admin";
    public static final String ADMIN_PASSWORD = Secrets.remember("admin-" + UUID.randomUUID());

    private TestServices() {
    }

    /** Creates a fresh, uniquely named database and returns its JDBC URL; it is dropped when the JVM exits. */
    public static String freshDatabase() {
        String name = "mcp_test_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMddHHmmss")) + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                execute("DROP DATABASE IF EXISTS " + name);
            } catch (RuntimeException ignored) {
                // the server may already be gone; the name is unique, so nothing else trips over a leftover
            }
        }));
        return MYSQL_SERVER + name;
    }

    /** Drops a database {@link #freshDatabase()} made, for tests that make many. */
    public static void dropDatabase(String url) {
        execute("DROP DATABASE IF EXISTS " + url.substring(url.lastIndexOf('/') + 1));
    }

    public static String freshRedisPrefix() {
        return "mcp-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(MYSQL_SERVER, MYSQL_USER, MYSQL_PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB at " + MYSQL_SERVER + " is needed for the tests: " + e.getMessage()
                                                    + " (start it as README.md says)", e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** A topic exchange of its own per application (or per group of nodes sharing one event store). */
    public static String freshExchange() {
        return "mcp.events.test." + UUID.randomUUID();
    }
}
