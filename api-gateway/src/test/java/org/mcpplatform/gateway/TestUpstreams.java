package org.mcpplatform.gateway;

import org.mcpplatform.deployment.Upstream;
import org.mcpplatform.deployment.Upstreams;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway tests' deployments: real server-everything children registered by slug (the supervisor, which does
 * this in the application, is another branch's work). Primary, so that it wins over the supervisor's bean once that
 * is merged.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestUpstreams {

    /** The upstreams by slug, shared by every test class of the context. */
    public static final class Registry implements Upstreams {
        private final Map<String, Upstream> bySlug = new ConcurrentHashMap<>();

        void register(Upstream upstream) {
            bySlug.put(upstream.slug(), upstream);
        }

        /** Starts server-everything for the slug once per test run (the processes end with the JVM). */
        synchronized Upstream everything(String slug) throws Exception {
            Upstream known = bySlug.get(slug);
            if (known == null) {
                EverythingServer server = EverythingServer.start(slug, "marker-" + slug);
                Runtime.getRuntime().addShutdownHook(new Thread(server::close));
                register(server);
                known = server;
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
    }

    @Bean
    @Primary
    public Registry testUpstreams() {
        return new Registry();
    }
}
