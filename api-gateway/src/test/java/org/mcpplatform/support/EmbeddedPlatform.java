package org.mcpplatform.support;

import org.mcpplatform.McpPlatformApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the whole platform on its embedded default (the in-process MongoDB server on an H2 file, the read model in
 * H2, no Redis) with everything under one data directory, as a user's `java -jar` does: tests that start it twice on
 * the same directory check what survives a restart.
 */
public final class EmbeddedPlatform {

    private EmbeddedPlatform() {
    }

    /** The read model's JDBC URL under {@code dataDir}, for tests that look into it with the platform down. */
    public static String readModelUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("readmodel")
                + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE";
    }

    public static ConfigurableApplicationContext start(Path dataDir, String... settings) {
        return start(new SpringApplicationBuilder(McpPlatformApplication.class), dataDir, settings);
    }

    /** {@code settings} are more command-line arguments ("--name=value"), which override the defaults here. */
    public static ConfigurableApplicationContext start(SpringApplicationBuilder builder, Path dataDir,
                                                       String... settings) {
        McpPlatformApplication.disableAxonUpdateCheckUnlessAsked();
        // as command-line arguments: SpringApplicationBuilder.properties() would only be defaults under application.yml
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=0",
                "--mcp.event-store.mongodb-uri=",
                "--mcp.event-store.embedded-backend=h2",
                "--mcp.event-store.data-dir=" + dataDir,
                "--mcp.tokens.data-dir=" + dataDir,
                "--mcp.deployments.data-dir=" + dataDir.resolve("deployments"),
                "--mcp.identity.admin-password=" + TestServices.ADMIN_PASSWORD,
                "--spring.datasource.url=" + readModelUrl(dataDir),
                "--spring.datasource.username=sa",
                "--spring.datasource.password=",
                "--mcp.cache.redis-url="));
        arguments.addAll(List.of(settings));
        return builder.run(arguments.toArray(String[]::new));
    }
}
