package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.RealServicesInitializer;
import org.mcpplatform.support.TcpProxy;
import org.mcpplatform.support.TestServices;
import org.mcpplatform.support.ToolGenerators.NewTool;
import org.mcpplatform.support.ToolGenerators.ToolChange;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ContextConfiguration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.support.ToolGenerators.newTools;
import static org.mcpplatform.support.ToolGenerators.toolChanges;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.frequency;
import static org.quicktheories.generators.Generate.range;

/**
 * Redis going away under a running platform. This class has a context of its own (its initializers differ from
 * {@code @PlatformTest}'s) whose Redis is reached through a {@link TcpProxy} the tests cut and hang.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {RealServicesInitializer.class,
        ToolCacheFallbackPropertiesTest.ThroughProxy.class})
class ToolCacheFallbackPropertiesTest extends ToolPropertySupport {

    static final TcpProxy PROXY = new TcpProxy(TestServices.REDIS_URL, 6379);
    /** The seed's bound for a read while Redis is unavailable. */
    static final Duration READ_BUDGET = Duration.ofMillis(200);

    /** Runs after RealServicesInitializer and overrides its Redis URL with the proxy's. */
    static class ThroughProxy implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            TestPropertyValues.of("mcp.cache.redis-url=" + PROXY.url(),
                                  "mcp.cache.timeout=100ms",
                                  "mcp.cache.retry-after=1s").applyTo(context);
        }
    }

    @Autowired
    MeterRegistry meters;
    @Autowired
    Environment environment;

    /** One request of a client while Redis is gone. */
    sealed interface Request permits ReadById, ReadBySlug, ReadList, Change, Register {
    }

    record ReadById(int tool) implements Request {
    }

    record ReadBySlug(int tool) implements Request {
    }

    record ReadList() implements Request {
    }

    record Change(int tool, ToolChange change) implements Request {
    }

    record Register(NewTool tool) implements Request {
    }

    static Gen<Request> requests() {
        return frequency(Pair.of(4, range(0, 1000).map(i -> (Request) new ReadById(i))),
                         Pair.of(3, range(0, 1000).map(i -> (Request) new ReadBySlug(i))),
                         Pair.of(2, range(0, 1).map(i -> (Request) new ReadList())),
                         Pair.of(1, range(0, 1000).zip(toolChanges(), (i, change) -> (Request) new Change(i, change))),
                         Pair.of(1, newTools().map(tool -> (Request) new Register(tool))));
    }

    // Property 32: Cache Fallback on Failure
    @Test
    void withRedisRefusingConnectionsEveryRequestIsAnsweredFromMysqlInTime() {
        fallBackWhile(PROXY::cut);
    }

    // Property 32: Cache Fallback on Failure
    @Test
    void withRedisHangingEveryRequestIsAnsweredFromMysqlInTime() {
        fallBackWhile(PROXY::hang);
    }

    private void fallBackWhile(Runnable breakRedis) {
        String token = "fb" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Map<String, Expected> tools = new LinkedHashMap<>();
        qt().withExamples(6).forAll(newTools()).checkAssert(tool -> {
            Expected registered = register(withToken(tool, token));
            tools.put(registered.id(), registered);
        });
        // cache every tool and the list, so that stale entries are there to be wrongly served later
        tools.values().forEach(tool -> {
            api.get("/api/v1/mcps/" + tool.id());
            api.get("/api/v1/mcps/" + tool.id());
        });
        api.get(listPath(token));

        breakRedis.run();
        try {
            // the request that meets the failure may wait out the Redis timeout; it must still succeed
            List<Expected> known = new ArrayList<>(tools.values());
            assertReadById(known.get(0), Duration.ofSeconds(2));

            qt().withExamples(EXAMPLES).withShrinkCycles(SHRINK_CYCLES).forAll(requests()).checkAssert(request -> {
                List<Expected> all = new ArrayList<>(tools.values());
                if (request instanceof ReadById read) {
                    assertReadById(all.get(read.tool() % all.size()), READ_BUDGET);
                } else if (request instanceof ReadBySlug read) {
                    Expected tool = all.get(read.tool() % all.size());
                    Api.Response response = timed("/api/v1/mcps/by-slug/" + tool.slug(), READ_BUDGET);
                    assertResponseMatches(response.json(), tool);
                } else if (request instanceof ReadList) {
                    JsonNode page = timed(listPath(token), READ_BUDGET).json();
                    assertThat(page.get("total").asLong()).isEqualTo(all.size());
                    page.get("items").forEach(item -> assertResponseMatches(item, tools.get(item.get("id").asText())));
                } else if (request instanceof Change change) {
                    Expected tool = all.get(change.tool() % all.size());
                    Api.Response patched = api.patch("/api/v1/mcps/" + tool.id(), change.change().body());
                    assertThat(patched.status()).as(patched.text()).isEqualTo(200);
                    Expected after = tool.after(change.change());
                    assertResponseMatches(patched.json(), after);
                    tools.put(tool.id(), after);
                } else if (request instanceof Register register) {
                    Expected registered = register(withToken(register.tool(), token));
                    tools.put(registered.id(), registered);
                }
            });
        } finally {
            PROXY.restore();
        }

        // Redis is back: once the circuit breaker's wait is over, reads use the cache again, and never serve what
        // the cache held from before the outage
        Duration retryAfter = environment.getProperty("mcp.cache.retry-after", Duration.class);
        sleep(retryAfter.plusMillis(100));
        // tools changed during the outage are re-cached by the projection's resync (every second): until then they
        // are read from MySQL; every read, now and then, must be the current tool
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        boolean allFromCache = false;
        while (!allFromCache && System.nanoTime() < deadline) {
            double hitsBefore = hits();
            for (Expected tool : tools.values()) {
                assertReadById(tool, Duration.ofSeconds(2));
            }
            double toolHits = hits() - hitsBefore;
            JsonNode page = api.get(listPath(token)).json();
            assertThat(page.get("total").asLong()).isEqualTo(tools.size());
            page.get("items").forEach(item -> assertResponseMatches(item, tools.get(item.get("id").asText())));
            allFromCache = toolHits >= tools.size();
            if (!allFromCache) {
                sleep(Duration.ofMillis(200));
            }
        }
        assertThat(allFromCache).as("after Redis came back, reads are served from it again").isTrue();
    }

    private static NewTool withToken(NewTool tool, String token) {
        String stem = token + "-" + tool.slugStem().substring(0, Math.min(tool.slugStem().length(), 100));
        return new NewTool(tool.name(), stem, tool.description(), tool.version(), tool.config());
    }

    private static String listPath(String token) {
        return "/api/v1/mcps?q=" + token + "&page_size=100";
    }

    private void assertReadById(Expected tool, Duration budget) {
        Api.Response response = timed("/api/v1/mcps/" + tool.id(), budget);
        assertResponseMatches(response.json(), tool);
        assertThat(response.etag()).isEqualTo("\"" + tool.revision() + "\"");
    }

    private Api.Response timed(String path, Duration budget) {
        long start = System.nanoTime();
        Api.Response response = api.get(path);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(response.status()).as("GET %s -> %s", path, response.text()).isEqualTo(200);
        assertThat(took).as("GET %s took %s", path, took).isLessThanOrEqualTo(budget);
        return response;
    }

    private double hits() {
        return meters.get("mcp_cache_requests_total").tags("cache", "tool", "result", "hit").counter().count();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
