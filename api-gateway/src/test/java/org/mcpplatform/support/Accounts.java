package org.mcpplatform.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Creates accounts through the API as the bootstrap administrator, and logs them in. */
public final class Accounts {

    private Accounts() {
    }

    /** A logged-in user; {@link #api()} acts as them. */
    public record Account(String id, String username, String password, String role, String accessToken,
                          String refreshToken, Api api) {
    }

    public static Account create(int port, String role) {
        String username = role + "-" + UUID.randomUUID().toString().substring(0, 8);
        String password = Secrets.remember("pw-" + UUID.randomUUID());
        Api.Response created = new Api(port).post("/api/v1/auth/users", Map.of(
                "username", username, "email", username + "@example.com", "password", password, "role", role));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.json().get("id").asText();
        JsonNode tokens = login(port, username, password);
        String access = tokens.get("access_token").asText();
        return new Account(id, username, password, role, access, tokens.get("refresh_token").asText(),
                           Api.anonymous(port).as(access));
    }

    /** Logs in and returns the token pair (the tokens are remembered as secrets). */
    public static JsonNode login(int port, String username, String password) {
        Api.Response login = Api.anonymous(port).post("/api/v1/auth/login",
                                                      Map.of("username", username, "password", password));
        assertThat(login.status()).as(login.text()).isEqualTo(200);
        JsonNode tokens = login.json();
        Secrets.remember(tokens.get("access_token").asText());
        Secrets.remember(tokens.get("refresh_token").asText());
        return tokens;
    }
}
