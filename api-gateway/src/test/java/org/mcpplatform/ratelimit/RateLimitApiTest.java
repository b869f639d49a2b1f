package org.mcpplatform.ratelimit;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.RealServicesInitializer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits as a client meets them, over HTTP, in a context of its own with small budgets. Until accounts exist
 * every request is the local administrator's, so all requests of this class share its read and write buckets: each
 * test spends only its own class of budget, and the write budget is large enough for all tests together.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {RealServicesInitializer.class, RateLimitApiTest.SmallLimits.class})
@Import(RateLimitApiTest.StandInLogin.class)
class RateLimitApiTest {

    static final int READS = 5;
    static final int WRITES = 100;
    static final int AUTH = 2;
    static final int FAILURES_PER_USERNAME = 10;

    /** Runs after RealServicesInitializer and overrides its generous test limits. */
    static class SmallLimits implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            TestPropertyValues.of("mcp.rate-limit.read-per-minute=" + READS,
                                  "mcp.rate-limit.write-per-minute=" + WRITES,
                                  "mcp.rate-limit.auth-per-minute=" + AUTH,
                                  "mcp.rate-limit.failed-auth-per-username=" + FAILURES_PER_USERNAME,
                                  "mcp.rate-limit.failed-auth-per-ip=50").applyTo(context);
        }
    }

    /**
     * A login endpoint whose every password is wrong, calling {@link AuthFailureLimiter} the way the real one does;
     * to be replaced by {@code /api/v1/auth/login} when it exists.
     */
    @TestConfiguration
    @RestController
    static class StandInLogin {
        @Autowired
        AuthFailureLimiter authFailures;

        @PostMapping("/test/login")
        ResponseEntity<Map<String, String>> login(@RequestBody Map<String, String> credentials,
                                                  HttpServletRequest request) {
            String username = credentials.get("username");
            authFailures.checkNotBlocked(username, ClientAddress.of(request));
            authFailures.recordFailure(username, ClientAddress.of(request));
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("error", "wrong password"));
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
            // (/metrics is 404 in tests: Spring Boot leaves the Prometheus export off in test contexts)
            assertThat(response.status()).as(exempt).isNotEqualTo(429);
            assertThat(response.header("X-RateLimit-Limit")).as(exempt).isNull();
        }
        Api.Response preflight = api.send("OPTIONS", "/api/v1/mcps", null, "Origin", "https://ui.example.com",
                                          "Access-Control-Request-Method", "POST");
        assertThat(preflight.status()).isNotEqualTo(429);
        assertThat(preflight.header("X-RateLimit-Limit")).isNull();
    }

    @Test
    void theTokenEndpointsHaveTheirOwnBudgetPerClientAddress() {
        // whatever the endpoints answer (they do not exist yet), they are limited under "auth"
        for (int i = 1; i <= AUTH; i++) {
            Api.Response response = api.post(i % 2 == 0 ? "/api/v1/auth/refresh" : "/api/v1/auth/login", "{}");
            assertThat(response.status()).isNotEqualTo(429);
            assertThat(response.header("X-RateLimit-Limit")).isEqualTo(Integer.toString(AUTH));
            assertThat(response.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(AUTH - i));
        }
        Api.Response refused = api.post("/api/v1/auth/login", "{}");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isNotNull();
        assertThat(refused.json().get("error").get("details").get("limit").asLong()).isEqualTo(AUTH);
    }

    @Test
    void thirtyRapidFailedLoginsForOneUserAreAnswered429BeforeTheThirtieth() {
        String username = "victim-" + UUID.randomUUID();
        int firstRefused = 0;
        for (int attempt = 1; attempt <= 30; attempt++) {
            // the guesser varies the case: still one account
            String asTyped = attempt % 2 == 0 ? username.toUpperCase() : username;
            Api.Response response = api.post("/test/login", Map.of("username", asTyped, "password", "guess" + attempt));
            if (response.status() == 429 && firstRefused == 0) {
                firstRefused = attempt;
                assertThat(Long.parseLong(response.header("Retry-After"))).isPositive();
                assertThat(response.header("X-RateLimit-Limit")).isEqualTo(Integer.toString(FAILURES_PER_USERNAME));
                JsonNode error = response.json().get("error");
                assertThat(error.get("code").asText()).isEqualTo("RATE_LIMITED");
                assertThat(error.get("details").get("retry_after_seconds").asText())
                        .isEqualTo(response.header("Retry-After"));
            }
            if (firstRefused > 0) {
                assertThat(response.status()).as("attempt %d", attempt).isEqualTo(429);
            } else {
                assertThat(response.status()).as("attempt %d", attempt).isEqualTo(401);
            }
        }
        assertThat(firstRefused).isEqualTo(FAILURES_PER_USERNAME + 1);

        // another account from the same address may still try
        Api.Response other = api.post("/test/login", Map.of("username", "other-" + UUID.randomUUID(), "password", "x"));
        assertThat(other.status()).isEqualTo(401);
    }
}
