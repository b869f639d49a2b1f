package org.mcpplatform.gateway;

import org.mcpplatform.deployment.DefaultUpstreamLauncher;
import org.mcpplatform.deployment.OutboundAddresses;
import org.mcpplatform.deployment.RunningUpstream;
import org.mcpplatform.deployment.Upstream;
import org.mcpplatform.deployment.UpstreamKind;
import org.mcpplatform.deployment.UpstreamSpec;
import org.mcpplatform.deployment.Upstreams;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway tests' deployments: real server-everything children, started by the platform's own
 * {@link DefaultUpstreamLauncher} and registered by slug, which in the application the supervisor does (its start
 * needs the deployment saga, which these tests do not exercise). Primary, so that it wins over the supervisor's
 * {@link Upstreams} when both are in the context.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestUpstreams {

    /** The upstreams by slug, shared by every test class of the context. */
    public static final class Registry implements Upstreams, AutoCloseable {
        private final Map<String, RunningUpstream> bySlug = new ConcurrentHashMap<>();
        private final DefaultUpstreamLauncher launcher = new DefaultUpstreamLauncher(OutboundAddresses.publicOnly());

        /** server-everything for the slug, started once, with {@code MARKER=marker-<slug>} in its environment. */
        public synchronized Upstream everything(String slug) throws Exception {
            RunningUpstream known = bySlug.get(slug);
            if (known == null) {
                Path entry = serversDirectory().resolve("@modelcontextprotocol/server-everything/dist/index.js");
                Path workingDir = Files.createDirectories(Path.of("target/test-data/deployments", slug))
                                       .toAbsolutePath();
                UpstreamSpec spec = new UpstreamSpec("dep-" + slug, "tool-" + slug, slug, UpstreamKind.STDIO,
                                                     "node", List.of(entry.toString(), "stdio"),
                                                     Map.of("MARKER", "marker-" + slug), workingDir, null, Map.of());
                known = launcher.launch(spec, Duration.ofSeconds(30)).get(40, TimeUnit.SECONDS);
                bySlug.put(slug, known);
            }
            return known;
        }

        @Override
        public Optional<Upstream> bySlug(String slug) {
            return Optional.ofNullable(bySlug.get(slug));
        }

        @Override
        public List<String> stderr(String deploymentId) {
            return List.of();
        }

        @Override
        public void close() throws Exception {
            for (RunningUpstream upstream : bySlug.values()) {
                upstream.stop(Duration.ofSeconds(2)).get(10, TimeUnit.SECONDS);
            }
            launcher.close();
        }
    }

    /** {@code mcp.test.servers}, else {@code <repository root>/mcp-servers/node_modules}. */
    static Path serversDirectory() {
        String configured = System.getProperty("mcp.test.servers");
        if (configured != null) {
            return Path.of(configured);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("mcp-servers/node_modules"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("mcp-servers/node_modules not found: run npm ci in mcp-servers");
        }
        return dir.resolve("mcp-servers/node_modules");
    }

    /** The usage records the gateway hands over, in order (the JDBC recorder is another branch's work). */
    public static final class RecordedUsage implements org.mcpplatform.usage.UsageRecorder {
        public final List<org.mcpplatform.usage.UsageRecord> records =
                new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void record(org.mcpplatform.usage.UsageRecord record) {
            records.add(record);
        }
    }

    @Bean
    @Primary
    public RecordedUsage recordedUsage() {
        return new RecordedUsage();
    }

    @Bean(destroyMethod = "close")
    @Primary
    public Registry testUpstreams() {
        return new Registry();
    }
}
