package org.mcpplatform.identity;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Accounts;
import org.mcpplatform.support.Accounts.Account;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformTest;
import org.mcpplatform.support.Secrets;
import org.mcpplatform.support.Tools;
import org.quicktheories.core.Gen;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

/** Seed properties 23 (authorization) and 24 (API keys), over HTTP. */
@PlatformTest
class AccessPropertiesTest {

    @LocalServerPort
    int port;

    /** An action of the API, the permission it needs, and how to attempt it as a given user. */
    record Attempt(String permission, BiFunction<Api, String, Api.Response> send) {
        @Override
        public String toString() {
            return permission;
        }
    }

    private List<Attempt> attempts() {
        return List.of(
                new Attempt("mcps:create", (api, target) -> api.post("/api/v1/mcps",
                        Tools.registration(Tools.uniqueSlug("p23")))),
                new Attempt("mcps:update", (api, target) -> api.patch("/api/v1/mcps/" + target,
                        Map.of("description", "changed"))),
                new Attempt("mcps:update", (api, target) -> api.post("/api/v1/mcps/" + target + "/revert",
                        Map.of("version", 1))),
                new Attempt("mcps:delete", (api, target) -> api.delete("/api/v1/mcps/" + target)),
                new Attempt("users:create", (api, target) -> api.post("/api/v1/auth/users", Map.of(
                        "username", "p23-" + target.substring(0, 8), "email", target + "@example.com",
                        "password", "p23-password", "role", "admin"))),
                new Attempt("users:update", (api, target) -> api.patch("/api/v1/auth/users/"
                        + AdminBootstrap.FIRST_ADMIN_ID + "/role", Map.of("role", "viewer"))),
                new Attempt("users:delete", (api, target) -> api.delete("/api/v1/auth/users/"
                        + AdminBootstrap.FIRST_ADMIN_ID)));
    }

    @Test
    void actionsBeyondARolesPermissionsAre403() {
        // Property 23: Authorization Permission Check — for any user and action beyond their role permissions, the
        // request is rejected with HTTP 403 (and changes nothing).
        Account viewer = Accounts.create(port, "viewer");
        Account developer = Accounts.create(port, "developer");
        Map<Role, Account> accounts = Map.of(Role.VIEWER, viewer, Role.DEVELOPER, developer);
        List<Attempt> attempts = attempts();
        Gen<Role> roles = integers().between(0, 1).map(i -> i == 0 ? Role.VIEWER : Role.DEVELOPER);
        qt().withExamples(100)
            .forAll(roles, integers().between(0, attempts.size() - 1))
            .assuming((role, index) -> !allowed(role, attempts.get(index).permission()))
            .checkAssert((role, index) -> {
                String target = new Api(port).post("/api/v1/mcps", Tools.registration(Tools.uniqueSlug("p23-t")))
                                             .json().get("id").asText();
                Api.Response response = attempts.get(index).send().apply(accounts.get(role).api(), target);
                assertThat(response.status()).as("%s doing %s: %s", role, attempts.get(index), response.text())
                                             .isEqualTo(403);
                assertThat(response.json().at("/error/code").asText()).isEqualTo("FORBIDDEN");
                assertThat(new Api(port).get("/api/v1/mcps/" + target).etag())
                        .isEqualTo("\"1\"");
            });
    }

    private static boolean allowed(Role role, String permission) {
        String[] parts = permission.split(":");
        return RolePermissions.allows(role, parts[0], parts[1]);
    }

    @Test
    void everyValidApiKeyAuthenticatesItsUser() {
        // Property 24: API Key Authentication — for any valid API key, authentication succeeds and returns the
        // associated user.
        List<Account> owners = List.of(Accounts.create(port, "viewer"), Accounts.create(port, "developer"),
                                       Accounts.create(port, "admin"));
        qt().withExamples(100)
            .forAll(integers().between(0, owners.size() - 1),
                    strings().basicLatinAlphabet().ofLengthBetween(1, 100).assuming(name -> !name.isBlank()),
                    integers().between(0, 1))
            .checkAssert((ownerIndex, name, viaHeader) -> {
                Account owner = owners.get(ownerIndex);
                Api.Response created = owner.api().post("/api/v1/auth/api-keys", Map.of("name", name));
                assertThat(created.status()).as(created.text()).isEqualTo(201);
                String key = Secrets.remember(created.json().get("key").asText());
                Api.Response me = viaHeader == 1
                        ? Api.anonymous(port).get("/api/v1/auth/me", "X-API-Key", key)
                        : Api.anonymous(port).as(key).get("/api/v1/auth/me");
                assertThat(me.status()).isEqualTo(200);
                JsonNode user = me.json();
                assertThat(user.get("id").asText()).isEqualTo(owner.id());
                assertThat(user.get("username").asText()).isEqualTo(owner.username());
                assertThat(user.get("role").asText()).isEqualTo(owner.role());
            });
    }
}
