package org.mcpplatform.ratelimit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.RealServicesInitializer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfiguration;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits as a client meets them, over HTTP, in a context of its own with small budgets. The requests of this class
 * are the bootstrap administrator's, so they share its read and write buckets: each test spends only its own class
 * of budget, and the write budget is large enough for all tests together. (Failed logins: AuthApiTest.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {RealServicesInitializer.class, RateLimitApiTest.SmallLimits.class})
class RateLimitApiTest {

    static final int READS = 5;
    static final int WRITES = 100;
    static final int AUTH = 3;
    static final int MCP = 4;

    /** Runs after RealServicesInitializer and overrides its generous test limits. */
    static class SmallLimits implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            TestPropertyValues.of("mcp.rate-limit.read-per-minute=" + READS,
                                  "mcp.rate-limit.write-per-minute=" + WRITES,
                                  "mcp.rate-limit.auth-per-minute=" + AUTH,
                                  "mcp.rate-limit.mcp-per-minute=" + MCP,
                                  "mcp.rate-limit.failed-auth-per-ip=50").applyTo(context);
        }
    }

    @LocalServerPort
    int port;
    Api api;

    @BeforeEach
    void connect() {
        api = new Api(port);
    }

    // Property 39: Rate Limit Enforcement — for any user, when the rate limit is exceeded for an endpoint, subsequent requests return HTTP 429
    @Test
    void readsOverTheLimitAreAnswered429WithRetryAfterAndTheErrorBody() {
        for (int i = 1; i <= READS; i++) {
            Api.Response response = api.get("/api/v1/mcps");
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            assertThat(response.header("X-RateLimit-Limit")).isEqualTo(Integer.toString(READS));
            assertThat(response.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(READS - i));
        }
        for (int i = 0; i < 3; i++) {
            Api.Response refused = api.get("/api/v1/mcps/" + UUID.randomUUID(), "X-Request-ID", "rl-test-" + i);
            assertThat(refused.status()).isEqualTo(429);
            long retryAfter = Long.parseLong(refused.header("Retry-After"));
            assertThat(retryAfter).isBetween(1L, 60L / READS);
            assertThat(refused.header("X-RateLimit-Limit")).isEqualTo(Integer.toString(READS));
            assertThat(refused.header("X-RateLimit-Remaining")).isEqualTo("0");
            JsonNode error = refused.json().get("error");
            assertThat(error.get("code").asText()).isEqualTo("RATE_LIMITED");
            assertThat(error.get("message").asText()).isNotBlank();
            assertThat(error.get("details").get("limit").asLong()).isEqualTo(READS);
            assertThat(error.get("details").get("retry_after_seconds").asLong()).isEqualTo(retryAfter);
            assertThat(error.get("request_id").asText()).isEqualTo("rl-test-" + i);
            assertThat(error.get("timestamp").asText()).isNotBlank();
        }

        // writes have a budget of their own; probes, scrapes and docs are never limited
        Api.Response write = api.post("/api/v1/mcps", "{}");
        assertThat(write.status()).isEqualTo(422);
        assertThat(write.header("X-RateLimit-Limit")).isEqualTo(Integer.toString(WRITES));
        for (String exempt : new String[] {"/health", "/metrics", "/api/docs/openapi.json"}) {
            Api.Response response = api.get(exempt);
            assertThat(response.status()).as(exempt).isNotEqualTo(429);
            assertThat(response.header("X-RateLimit-Limit")).as(exempt).isNull();
        }
        Api.Response preflight = api.send("OPTIONS", "/api/v1/mcps", null, "Origin", "https://ui.example.com",
                                          "Access-Control-Request-Method", "POST");
        assertThat(preflight.status()).isNotEqualTo(429);
        assertThat(preflight.header("X-RateLimit-Limit")).isNull();
    }

    @Test
    void mcpTrafficHasItsOwnBudget() {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
        for (int i = 1; i <= MCP; i++) {
            Api.Response response = api.post("/mcp/no-such-tool", body, "Accept", "application/json, text/event-stream");
            assertThat(response.status()).as(response.text()).isEqualTo(404);
            assertThat(response.header("X-RateLimit-Limit")).isEqualTo(Integer.toString(MCP));
        }
        Api.Response refused = api.post("/mcp/no-such-tool", body, "Accept", "application/json, text/event-stream");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isNotNull();
        // the registry's own writes are not spent by MCP traffic
        assertThat(api.post("/api/v1/mcps", "{}").status()).isEqualTo(422);
    }

    @Test
    void theTokenEndpointsHaveTheirOwnBudgetPerClientAddress() {
        api.adminToken(); // the administrator's login (once per application) spends from the same budget
        Api anonymous = Api.anonymous(port);
        Api.Response refused = null;
        int passed = 0;
        for (int i = 1; i <= AUTH + 1 && refused == null; i++) {
            Api.Response response = anonymous.post(i % 2 == 0 ? "/api/v1/auth/refresh" : "/api/v1/auth/login", "{}");
            assertThat(response.header("X-RateLimit-Limit")).isEqualTo(Integer.toString(AUTH));
            if (response.status() == 429) {
                refused = response;
            } else {
                passed++;
                assertThat(response.status()).as(response.text()).isEqualTo(422);
            }
        }
        assertThat(refused).as("refused within the budget plus one").isNotNull();
        assertThat(passed).isLessThanOrEqualTo(AUTH);
        assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
        assertThat(refused.json().get("error").get("details").get("limit").asLong()).isEqualTo(AUTH);
    }
}
