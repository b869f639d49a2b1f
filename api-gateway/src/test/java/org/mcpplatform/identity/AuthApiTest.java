package org.mcpplatform.identity;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Accounts;
import org.mcpplatform.support.Accounts.Account;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformTest;
import org.mcpplatform.support.Secrets;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

@PlatformTest
class AuthApiTest {

    @LocalServerPort
    int port;

    @Test
    void theBootstrapAdministratorLogsInAndSeesThemself() {
        JsonNode me = new Api(port).get("/api/v1/auth/me").json();
        assertThat(me.get("id").asText()).isEqualTo(AdminBootstrap.FIRST_ADMIN_ID);
        assertThat(me.get("username").asText()).isEqualTo("admin");
        assertThat(me.get("role").asText()).isEqualTo("admin");
    }

    @Test
    void loginAnswersAnAccessAndARefreshToken() {
        Account account = Accounts.create(port, "developer");
        JsonNode tokens = Accounts.login(port, account.username(), account.password());
        assertThat(tokens.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(tokens.get("expires_in").asLong()).isEqualTo(900);
        assertThat(tokens.get("refresh_token").asText()).startsWith("mcpr_");
        Api.Response me = account.api().get("/api/v1/auth/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("id").asText()).isEqualTo(account.id());
        assertThat(me.json().get("email").asText()).isEqualTo(account.username() + "@example.com");
        assertThat(me.json().has("password_hash")).isFalse();
    }

    @Test
    void aWrongPasswordOrUnknownUserIs401WithTheSameAnswer() {
        Account account = Accounts.create(port, "viewer");
        Api.Response wrong = Api.anonymous(port).post("/api/v1/auth/login",
                Map.of("username", account.username(), "password", Secrets.remember("wrong-password-1")));
        Api.Response unknown = Api.anonymous(port).post("/api/v1/auth/login",
                Map.of("username", "nobody-" + UUID.randomUUID(), "password", Secrets.remember("wrong-password-2")));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.json().at("/error/code").asText()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(wrong.json().at("/error/message").asText()).isEqualTo(unknown.json().at("/error/message").asText());
    }

    @Test
    void everyFoundationEndpointRequiresAuthentication() {
        Api anonymous = Api.anonymous(port);
        String id = UUID.randomUUID().toString();
        List<Api.Response> responses = List.of(
                anonymous.get("/api/v1/mcps"),
                anonymous.get("/api/v1/mcps/" + id),
                anonymous.get("/api/v1/mcps/by-slug/some-slug"),
                anonymous.get("/api/v1/mcps/" + id + "/history"),
                anonymous.post("/api/v1/mcps", Map.of("name", "x")),
                anonymous.patch("/api/v1/mcps/" + id, Map.of("name", "x")),
                anonymous.delete("/api/v1/mcps/" + id),
                anonymous.post("/api/v1/mcps/" + id + "/revert", Map.of("version", 1)),
                anonymous.get("/api/v1/auth/me"),
                anonymous.get("/api/v1/auth/api-keys"),
                anonymous.post("/api/v1/auth/users", Map.of()),
                anonymous.post("/api/v1/auth/logout", Map.of("refresh_token", "x")));
        for (Api.Response response : responses) {
            assertThat(response.status()).as(response.text()).isEqualTo(401);
            assertThat(response.json().at("/error/code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(response.json().at("/error/request_id").asText()).isNotBlank();
        }
        assertThat(anonymous.get("/health").status()).isIn(200, 503);
        assertThat(anonymous.get("/metrics").status()).isEqualTo(200);
        assertThat(anonymous.get("/api/docs/openapi.json").status()).isEqualTo(200);
        assertThat(anonymous.get("/.well-known/jwks.json").status()).isEqualTo(200);
    }

    @Test
    void everyRefreshRotatesAndTheOldTokenIsSpent() {
        Account account = Accounts.create(port, "developer");
        JsonNode second = refresh(account.refreshToken());
        assertThat(second.get("refresh_token").asText()).isNotEqualTo(account.refreshToken());
        assertThat(Api.anonymous(port).as(second.get("access_token").asText()).get("/api/v1/auth/me").status())
                .isEqualTo(200);
        JsonNode third = refresh(second.get("refresh_token").asText());
        assertThat(third.get("refresh_token").asText()).isNotEqualTo(second.get("refresh_token").asText());
    }

    @Test
    void presentingASpentRefreshTokenRevokesTheWholeFamily() {
        Account account = Accounts.create(port, "developer");
        JsonNode rotated = refresh(account.refreshToken());
        String current = rotated.get("refresh_token").asText();
        Api.Response reuse = Api.anonymous(port).post("/api/v1/auth/refresh",
                                                      Map.of("refresh_token", account.refreshToken()));
        assertThat(reuse.status()).isEqualTo(401);
        Api.Response successor = Api.anonymous(port).post("/api/v1/auth/refresh", Map.of("refresh_token", current));
        assertThat(successor.status()).as("the newest token of the family is revoked too").isEqualTo(401);
        assertThat(Api.anonymous(port).as(rotated.get("access_token").asText()).get("/api/v1/auth/me").status())
                .as("access tokens of the session end with it").isEqualTo(401);
        assertThat(account.api().get("/api/v1/auth/me").status()).isEqualTo(401);
    }

    @Test
    void twoConcurrentRefreshesWithOneTokenYieldExactlyOneSuccess() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                Account account = Accounts.create(port, "viewer");
                Callable<Integer> refresh = () -> Api.anonymous(port).post(
                        "/api/v1/auth/refresh", Map.of("refresh_token", account.refreshToken())).status();
                List<Future<Integer>> results = pool.invokeAll(List.of(refresh, refresh, refresh, refresh));
                long successes = 0;
                for (Future<Integer> result : results) {
                    successes += result.get() == 200 ? 1 : 0;
                }
                assertThat(successes).as("round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void logoutEndsTheRefreshTokenAndTheAccessTokensOfItsSession() {
        Account account = Accounts.create(port, "developer");
        Api.Response logout = account.api().post("/api/v1/auth/logout",
                                                 Map.of("refresh_token", account.refreshToken()));
        assertThat(logout.status()).isEqualTo(204);
        assertThat(Api.anonymous(port).post("/api/v1/auth/refresh", Map.of("refresh_token", account.refreshToken()))
                      .status()).isEqualTo(401);
        assertThat(account.api().get("/api/v1/auth/me").status()).isEqualTo(401);
    }

    @Test
    void aDeactivatedUserIsLockedOutAtOnce() throws Exception {
        Account account = Accounts.create(port, "developer");
        assertThat(new Api(port).delete("/api/v1/auth/users/" + account.id()).status()).isEqualTo(204);
        Thread.sleep(1_000);
        assertThat(account.api().get("/api/v1/auth/me").status()).isEqualTo(401);
        assertThat(Api.anonymous(port).post("/api/v1/auth/login",
                Map.of("username", account.username(), "password", account.password())).status()).isEqualTo(401);
        assertThat(Api.anonymous(port).post("/api/v1/auth/refresh", Map.of("refresh_token", account.refreshToken()))
                      .status()).isEqualTo(401);
    }

    @Test
    void usernamesAreUniqueRegardlessOfCase() {
        Account account = Accounts.create(port, "viewer");
        Api.Response again = new Api(port).post("/api/v1/auth/users", Map.of(
                "username", account.username().toUpperCase(), "email", "other-" + account.username() + "@example.com",
                "password", Secrets.remember("another-password"), "role", "viewer"));
        assertThat(again.status()).as(again.text()).isEqualTo(409);
    }

    @Test
    void aBadAccountRequestNamesEveryFailingField() {
        Api.Response response = new Api(port).post("/api/v1/auth/users", Map.of(
                "username", "x".repeat(101), "email", "", "password", "short", "role", "root"));
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().at("/error/details/errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("username", "email", "password", "role");
    }

    @Test
    void thirtyRapidFailedLoginsForOneUserAreAnswered429BeforeTheThirtieth() {
        Account victim = Accounts.create(port, "developer");
        int firstRefused = 0;
        for (int attempt = 1; attempt <= 30; attempt++) {
            // the guesser varies the case: still one account
            String asTyped = attempt % 2 == 0 ? victim.username().toUpperCase() : victim.username();
            Api.Response response = Api.anonymous(port).post("/api/v1/auth/login", Map.of(
                    "username", asTyped, "password", Secrets.remember("guess-number-" + attempt)));
            if (response.status() == 429 && firstRefused == 0) {
                firstRefused = attempt;
                assertThat(Long.parseLong(response.header("Retry-After"))).isPositive();
                JsonNode error = response.json().get("error");
                assertThat(error.get("code").asText()).isEqualTo("RATE_LIMITED");
                assertThat(error.get("details").get("retry_after_seconds").asText())
                        .isEqualTo(response.header("Retry-After"));
            }
            assertThat(response.status()).as("attempt %d", attempt).isEqualTo(firstRefused > 0 ? 429 : 401);
        }
        assertThat(firstRefused).isBetween(2, 29);
        // while the account is under attack even its right password waits; other accounts are unaffected
        assertThat(Api.anonymous(port).post("/api/v1/auth/login", Map.of(
                "username", victim.username(), "password", victim.password())).status()).isEqualTo(429);
        Account bystander = Accounts.create(port, "viewer");
        assertThat(Api.anonymous(port).post("/api/v1/auth/login", Map.of(
                "username", bystander.username(), "password", bystander.password())).status()).isEqualTo(200);
    }

    private JsonNode refresh(String refreshToken) {
        Api.Response response = Api.anonymous(port).post("/api/v1/auth/refresh",
                                                         Map.of("refresh_token", refreshToken));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        Secrets.remember(response.json().get("access_token").asText());
        Secrets.remember(response.json().get("refresh_token").asText());
        return response.json();
    }
}
