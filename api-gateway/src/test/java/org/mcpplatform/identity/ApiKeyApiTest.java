package org.mcpplatform.identity;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Accounts;
import org.mcpplatform.support.Accounts.Account;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformTest;
import org.mcpplatform.support.Secrets;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@PlatformTest
class ApiKeyApiTest {

    @LocalServerPort
    int port;

    private JsonNode newKey(Account account, Map<String, Object> body) {
        Api.Response created = account.api().post("/api/v1/auth/api-keys", body);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        Secrets.remember(created.json().get("key").asText());
        return created.json();
    }

    @Test
    void aKeyIsShownOnceAndAuthenticatesAsItsOwnerInBothHeaders() {
        Account account = Accounts.create(port, "developer");
        JsonNode created = newKey(account, Map.of("name", "ci"));
        String key = created.get("key").asText();
        assertThat(key).startsWith("mcp_").startsWith(created.get("prefix").asText());
        assertThat(created.get("name").asText()).isEqualTo("ci");

        Api.Response bearer = Api.anonymous(port).as(key).get("/api/v1/auth/me");
        assertThat(bearer.status()).isEqualTo(200);
        assertThat(bearer.json().get("id").asText()).isEqualTo(account.id());
        Api.Response header = Api.anonymous(port).get("/api/v1/auth/me", "X-API-Key", key);
        assertThat(header.json().get("id").asText()).isEqualTo(account.id());

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Api.Response list = account.api().get("/api/v1/auth/api-keys");
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.text()).doesNotContain(key).doesNotContain(key.substring(key.lastIndexOf('_') + 1));
            JsonNode listed = list.json().get(0);
            assertThat(listed).as("the key is listed").isNotNull();
            assertThat(listed.get("id").asText()).isEqualTo(created.get("id").asText());
            assertThat(listed.get("prefix").asText()).isEqualTo(created.get("prefix").asText());
            assertThat(listed.get("last_used_at").isNull()).as("used just now").isFalse();
        });
    }

    @Test
    void aRevokedKeyStopsWorkingWithinOneSecond() throws Exception {
        Account account = Accounts.create(port, "developer");
        JsonNode created = newKey(account, Map.of("name", "to revoke"));
        Api withKey = Api.anonymous(port).as(created.get("key").asText());
        assertThat(withKey.get("/api/v1/mcps").status()).isEqualTo(200);
        assertThat(account.api().delete("/api/v1/auth/api-keys/" + created.get("id").asText()).status())
                .isEqualTo(204);
        Thread.sleep(1_000);
        assertThat(withKey.get("/api/v1/mcps").status()).isEqualTo(401);
        // the listing is a projection: it follows the revocation eventually, and may lag under load
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode listed = account.api().get("/api/v1/auth/api-keys").json().get(0);
            assertThat(listed).as("the key is listed").isNotNull();
            assertThat(listed.get("revoked_at").isNull()).isFalse();
        });
    }

    @Test
    void anExpiredKeyIsRejected() throws Exception {
        Account account = Accounts.create(port, "developer");
        JsonNode created = newKey(account, Map.of("name", "short-lived",
                                                  "expires_at", Instant.now().plusSeconds(2).toString()));
        Api withKey = Api.anonymous(port).as(created.get("key").asText());
        assertThat(withKey.get("/api/v1/auth/me").status()).isEqualTo(200);
        Thread.sleep(2_500);
        assertThat(withKey.get("/api/v1/auth/me").status()).isEqualTo(401);
    }

    @Test
    void aKeyDifferingInOneCharacterOrInCaseIsRejected() {
        Account account = Accounts.create(port, "developer");
        String key = newKey(account, Map.of("name", "exact")).get("key").asText();
        for (int position : new int[]{5, 20, key.length() - 1, key.length() - 20}) {
            char original = key.charAt(position);
            char changed = original == 'a' ? 'b' : 'a';
            String forged = key.substring(0, position) + changed + key.substring(position + 1);
            assertThat(Api.anonymous(port).as(forged).get("/api/v1/auth/me").status())
                    .as("changed at %d", position).isEqualTo(401);
        }
        assertThat(Api.anonymous(port).as(key.toUpperCase()).get("/api/v1/auth/me").status()).isEqualTo(401);
        String lowerSecret = key.substring(0, 37) + key.substring(37).toLowerCase();
        if (!lowerSecret.equals(key)) {
            assertThat(Api.anonymous(port).as(lowerSecret).get("/api/v1/auth/me").status()).isEqualTo(401);
        }
        assertThat(Api.anonymous(port).as(key + "x").get("/api/v1/auth/me").status()).isEqualTo(401);
        assertThat(Api.anonymous(port).as(key).get("/api/v1/auth/me").status()).isEqualTo(200);
    }

    @Test
    void anotherUsersKeyIsNotFoundRatherThanForbidden() {
        Account owner = Accounts.create(port, "developer");
        Account other = Accounts.create(port, "developer");
        JsonNode created = newKey(owner, Map.of("name", "private"));
        Api.Response delete = other.api().delete("/api/v1/auth/api-keys/" + created.get("id").asText());
        assertThat(delete.status()).isEqualTo(404);
        assertThat(other.api().get("/api/v1/auth/api-keys").json()).isEmpty();
        assertThat(Api.anonymous(port).as(created.get("key").asText()).get("/api/v1/auth/me").status())
                .isEqualTo(200);
    }

    @Test
    void badKeyRequestsAre422() {
        Account account = Accounts.create(port, "viewer");
        Api.Response past = account.api().post("/api/v1/auth/api-keys",
                                               Map.of("name", "old", "expires_at", "2001-01-01T00:00:00Z"));
        assertThat(past.status()).isEqualTo(422);
        Api.Response noName = account.api().post("/api/v1/auth/api-keys", Map.of("expires_at", "tomorrow"));
        assertThat(noName.status()).isEqualTo(422);
        assertThat(noName.json().at("/error/details/errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("name", "expires_at");
    }
}
