package org.mcpplatform.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Accounts;
import org.mcpplatform.support.Accounts.Account;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformTest;
import org.mcpplatform.support.Tools;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Roles as the seed's ROLE_PERMISSIONS give them, and ownership of tools. */
@PlatformTest
class AccessControlTest {

    @LocalServerPort
    int port;

    @Test
    void aViewerReadsButCannotCreateChangeOrDelete() {
        Account viewer = Accounts.create(port, "viewer");
        String slug = Tools.uniqueSlug("viewer-target");
        String id = new Api(port).post("/api/v1/mcps", Tools.registration(slug)).json().get("id").asText();

        assertThat(viewer.api().get("/api/v1/mcps/" + id).status()).isEqualTo(200);
        assertThat(viewer.api().get("/api/v1/mcps").status()).isEqualTo(200);
        assertThat(viewer.api().get("/api/v1/mcps/" + id + "/history").status()).isEqualTo(200);

        Api.Response create = viewer.api().post("/api/v1/mcps", Tools.registration(Tools.uniqueSlug("viewer-own")));
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.json().at("/error/code").asText()).isEqualTo("FORBIDDEN");
        assertThat(viewer.api().patch("/api/v1/mcps/" + id, Map.of("description", "mine now")).status())
                .isEqualTo(403);
        assertThat(viewer.api().delete("/api/v1/mcps/" + id).status()).isEqualTo(403);
        assertThat(viewer.api().post("/api/v1/mcps/" + id + "/revert", Map.of("version", 1)).status())
                .isEqualTo(403);
        assertThat(new Api(port).get("/api/v1/mcps/" + id).etag())
                .as("no refused request wrote anything").isEqualTo("\"1\"");
    }

    @Test
    void aDeveloperChangesOwnToolsButNotAnotherDevelopersTools() {
        Account alice = Accounts.create(port, "developer");
        Account bob = Accounts.create(port, "developer");
        Api.Response created = alice.api().post("/api/v1/mcps", Tools.registration(Tools.uniqueSlug("alice")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.json().get("author_id").asText()).isEqualTo(alice.id());

        Api.Response bobPatch = bob.api().patch("/api/v1/mcps/" + id, Map.of("description", "bob was here"));
        assertThat(bobPatch.status()).as(bobPatch.text()).isEqualTo(403);
        assertThat(bob.api().delete("/api/v1/mcps/" + id).status()).isEqualTo(403);
        assertThat(bob.api().post("/api/v1/mcps/" + id + "/revert", Map.of("version", 1)).status()).isEqualTo(403);
        assertThat(bob.api().patch("/api/v1/mcps/" + id, Map.of("status", "active")).status()).isEqualTo(403);

        assertThat(alice.api().patch("/api/v1/mcps/" + id, Map.of("description", "alice's")).status())
                .isEqualTo(200);
        assertThat(new Api(port).patch("/api/v1/mcps/" + id, Map.of("description", "an admin's")).status())
                .as("admins may change any tool").isEqualTo(200);
        assertThat(new Api(port).get("/api/v1/mcps/" + id + "/history").json()).hasSize(3);
    }

    @Test
    void nobodyPromotesThemselves() {
        Account developer = Accounts.create(port, "developer");
        Api.Response promote = developer.api().patch("/api/v1/auth/users/" + developer.id() + "/role",
                                                     Map.of("role", "admin"));
        assertThat(promote.status()).isEqualTo(403);
        Api.Response create = developer.api().post("/api/v1/auth/users", Map.of(
                "username", "sock-puppet-" + developer.username(), "email", "puppet@" + developer.username() + ".org",
                "password", "puppet-password", "role", "admin"));
        assertThat(create.status()).isEqualTo(403);
        Api.Response adminSelf = new Api(port).patch("/api/v1/auth/users/" + AdminBootstrap.FIRST_ADMIN_ID + "/role",
                                                     Map.of("role", "viewer"));
        assertThat(adminSelf.status()).as("an admin cannot demote themselves into a locked-out platform")
                                      .isEqualTo(403);
        assertThat(developer.api().get("/api/v1/auth/me").json().get("role").asText()).isEqualTo("developer");
    }

    @Test
    void anAdministratorsRoleChangeTakesEffectAtOnce() throws Exception {
        Account developer = Accounts.create(port, "developer");
        Api.Response change = new Api(port).patch("/api/v1/auth/users/" + developer.id() + "/role",
                                                   Map.of("role", "viewer"));
        assertThat(change.status()).as(change.text()).isEqualTo(200);
        assertThat(change.json().get("role").asText()).isEqualTo("viewer");
        Thread.sleep(1_000);
        assertThat(developer.api().post("/api/v1/mcps", Tools.registration(Tools.uniqueSlug("demoted"))).status())
                .as("the old access token carries the old role, the platform uses the current one").isEqualTo(403);
    }

    @Test
    void massAssignedAuthorOrRoleHasNoEffect() {
        Account developer = Accounts.create(port, "developer");
        ObjectNode body = Tools.registration(Tools.uniqueSlug("mass-assign"));
        body.put("author_id", AdminBootstrap.FIRST_ADMIN_ID);
        Api.Response withAuthor = developer.api().post("/api/v1/mcps", body);
        assertThat(withAuthor.status()).isEqualTo(422);
        assertThat(withAuthor.json().at("/error/details/errors/0/field").asText()).isEqualTo("author_id");
        assertThat(developer.api().get("/api/v1/mcps/by-slug/" + body.get("slug").asText()).status())
                .isEqualTo(404);

        Api.Response created = developer.api().post("/api/v1/mcps", Tools.registration(Tools.uniqueSlug("mine")));
        String id = created.json().get("id").asText();
        Api.Response patch = developer.api().patch("/api/v1/mcps/" + id,
                                                   Map.of("author_id", AdminBootstrap.FIRST_ADMIN_ID));
        assertThat(patch.status()).isEqualTo(422);
        assertThat(new Api(port).get("/api/v1/mcps/" + id).json().get("author_id").asText()).isEqualTo(developer.id());

        Api.Response keyForOther = developer.api().post("/api/v1/auth/api-keys",
                                                        Map.of("name", "k", "user_id", AdminBootstrap.FIRST_ADMIN_ID));
        assertThat(keyForOther.status()).isEqualTo(422);
        Api.Response roleInLogin = Api.anonymous(port).post("/api/v1/auth/login", Map.of(
                "username", developer.username(), "password", developer.password(), "role", "admin"));
        assertThat(roleInLogin.status()).isEqualTo(422);
        assertThat(developer.api().get("/api/v1/auth/me").json().get("role").asText()).isEqualTo("developer");
    }

    @Test
    void aDeveloperCannotManageUsers() {
        Account developer = Accounts.create(port, "developer");
        Account other = Accounts.create(port, "viewer");
        assertThat(developer.api().patch("/api/v1/auth/users/" + other.id() + "/role", Map.of("role", "admin"))
                            .status()).isEqualTo(403);
        assertThat(developer.api().delete("/api/v1/auth/users/" + other.id()).status()).isEqualTo(403);
    }
}
