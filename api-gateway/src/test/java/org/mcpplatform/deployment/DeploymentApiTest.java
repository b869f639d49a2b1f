package org.mcpplatform.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.identity.AdminBootstrap;
import org.mcpplatform.support.Accounts;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformTest;
import org.mcpplatform.support.Tools;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.deployment.Deployments.deploy;
import static org.mcpplatform.deployment.Deployments.deployed;
import static org.mcpplatform.deployment.Deployments.idleNodeConfig;
import static org.mcpplatform.deployment.Deployments.registerTool;
import static org.mcpplatform.deployment.Deployments.shellConfig;
import static org.mcpplatform.support.Tools.uniqueSlug;

/** The deployments API: requests, refusals, visibility and stops, through HTTP as real users. */
@PlatformTest
class DeploymentApiTest {

    @LocalServerPort
    int port;
    Api admin;
    final List<String> toStop = new ArrayList<>();

    @BeforeEach
    void connect() {
        admin = new Api(port);
    }

    @org.junit.jupiter.api.AfterEach
    void stopWhatWasStarted() {
        toStop.forEach(id -> admin.delete("/api/v1/deployments/" + id));
    }

    private JsonNode deployAsAdmin(String toolId) {
        JsonNode deployment = deployed(admin, toolId);
        toStop.add(deployment.get("id").asText());
        return deployment;
    }

    @Test
    void anAdminDeploysAStdioToolWhoseCommandIsNotOnTheAllowListAndGetsTheStartingDeployment() {
        String slug = uniqueSlug("deploy");
        String toolId = registerTool(admin, slug, shellConfig());
        Instant before = Instant.now();

        Api.Response accepted = deploy(admin, toolId);

        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        JsonNode deployment = accepted.json();
        String id = deployment.get("id").asText();
        toStop.add(id);
        assertThat(accepted.header("Location")).isEqualTo("/api/v1/deployments/" + id);
        assertThat(deployment.get("tool_id").asText()).isEqualTo(toolId);
        assertThat(deployment.get("slug").asText()).isEqualTo(slug);
        assertThat(deployment.get("server").asText()).isEqualTo("main");
        assertThat(deployment.get("kind").asText()).isEqualTo("stdio");
        assertThat(deployment.get("status").asText()).isEqualTo("starting");
        assertThat(deployment.get("health_status").asText()).isEqualTo("unknown");
        assertThat(deployment.get("endpoint_url").asText()).isEqualTo("http://localhost:" + port + "/mcp/" + slug);
        assertThat(deployment.get("requested_by").asText()).isEqualTo(AdminBootstrap.FIRST_ADMIN_ID);
        assertThat(deployment.get("restarts").asInt()).isZero();
        assertThat(deployment.get("definitions_changed").asBoolean()).isFalse();
        assertThat(Instant.parse(deployment.get("requested_at").asText())).isAfterOrEqualTo(before.minusSeconds(1));
        for (String field : List.of("pid", "last_error", "started_at", "stopped_at", "definition_changes")) {
            assertThat(deployment.has(field)).as(field).isTrue();
        }

        Api.Response read = admin.get(accepted.header("Location"));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("id").asText()).isEqualTo(id);
        assertThat(admin.get("/api/v1/deployments").json().get("deployments"))
                .anySatisfy(listed -> assertThat(listed.get("id").asText()).isEqualTo(id));
        Api.Response logs = admin.get("/api/v1/deployments/" + id + "/logs");
        assertThat(logs.status()).isEqualTo(200);
        assertThat(logs.json().get("lines").isArray()).isTrue();
    }

    @Test
    void aSecondDeploymentOfAnActiveToolIsAConflict() {
        String toolId = registerTool(admin, uniqueSlug("twice"), idleNodeConfig());
        deployAsAdmin(toolId);

        Api.Response second = deploy(admin, toolId);

        assertThat(second.status()).as(second.text()).isEqualTo(409);
        assertThat(second.json().at("/error/code").asText()).isEqualTo("ALREADY_DEPLOYED");
    }

    @Test
    void stoppingAnswersTheStoppedDeploymentAndTheToolCanBeDeployedAgain() {
        String toolId = registerTool(admin, uniqueSlug("stop"), idleNodeConfig());
        String first = deployAsAdmin(toolId).get("id").asText();

        Api.Response stopped = admin.delete("/api/v1/deployments/" + first);

        assertThat(stopped.status()).as(stopped.text()).isEqualTo(200);
        assertThat(stopped.json().get("status").asText()).isEqualTo("stopped");
        assertThat(stopped.json().get("stopped_at").isTextual()).isTrue();
        assertThat(admin.get("/api/v1/deployments/" + first).json().get("status").asText()).isEqualTo("stopped");
        assertThat(admin.get("/api/v1/deployments?active=true").json().get("deployments"))
                .noneSatisfy(listed -> assertThat(listed.get("id").asText()).isEqualTo(first));

        JsonNode again = deployAsAdmin(toolId);
        assertThat(again.get("id").asText()).isNotEqualTo(first);
        assertThat(again.get("status").asText()).isEqualTo("starting");
    }

    @Test
    void aDeveloperDeploysAndStopsTheirOwnToolAndSeesOnlyTheirOwnDeployments() {
        Accounts.Account developer = Accounts.create(port, "developer");
        String toolId = registerTool(developer.api(), uniqueSlug("mine"), idleNodeConfig());
        JsonNode mine = deployed(developer.api(), toolId);
        String id = mine.get("id").asText();
        toStop.add(id);
        assertThat(mine.get("requested_by").asText()).isEqualTo(developer.id());
        String adminsDeployment = deployAsAdmin(registerTool(admin, uniqueSlug("theirs"), idleNodeConfig()))
                .get("id").asText();

        JsonNode listed = developer.api().get("/api/v1/deployments").json().get("deployments");
        assertThat(listed).extracting(d -> d.get("id").asText()).containsExactly(id);
        Api.Response foreign = developer.api().get("/api/v1/deployments/" + adminsDeployment);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(developer.api().delete("/api/v1/deployments/" + adminsDeployment).status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/deployments/" + adminsDeployment).json().get("status").asText())
                .isEqualTo("starting");

        Api.Response stopped = developer.api().delete("/api/v1/deployments/" + id);
        assertThat(stopped.status()).as(stopped.text()).isEqualTo(200);
        assertThat(stopped.json().get("status").asText()).isEqualTo("stopped");
    }

    @Test
    void anAdminSeesAndStopsADevelopersDeployment() {
        Accounts.Account developer = Accounts.create(port, "developer");
        String id = deployed(developer.api(), registerTool(developer.api(), uniqueSlug("dev"), idleNodeConfig()))
                .get("id").asText();
        toStop.add(id);

        assertThat(admin.get("/api/v1/deployments").json().get("deployments"))
                .anySatisfy(listed -> assertThat(listed.get("id").asText()).isEqualTo(id));
        Api.Response stopped = admin.delete("/api/v1/deployments/" + id);
        assertThat(stopped.status()).as(stopped.text()).isEqualTo(200);
        assertThat(stopped.json().get("status").asText()).isEqualTo("stopped");
    }

    @Test
    void aDeveloperCannotDeployAnotherDevelopersTool() {
        Accounts.Account author = Accounts.create(port, "developer");
        Accounts.Account other = Accounts.create(port, "developer");
        String toolId = registerTool(author.api(), uniqueSlug("foreign"), idleNodeConfig());

        Api.Response refused = deploy(other.api(), toolId);

        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("FORBIDDEN");
        toStop.add(deployed(author.api(), toolId).get("id").asText()); // the refusal claimed nothing
    }

    @Test
    void aDeveloperCannotDeployACommandThatIsNotOnTheAllowList() {
        Accounts.Account developer = Accounts.create(port, "developer");
        String toolId = registerTool(developer.api(), uniqueSlug("shell"), shellConfig());

        Api.Response refused = deploy(developer.api(), toolId);

        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        assertThat(refused.json().at("/error/message").asText()).contains("allow-list").contains("bash");
    }

    @Test
    void aViewerCannotDeployNorReadDeployments() {
        Accounts.Account viewer = Accounts.create(port, "viewer");
        String toolId = registerTool(admin, uniqueSlug("viewer"), idleNodeConfig());

        Api.Response refused = deploy(viewer.api(), toolId);

        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        assertThat(viewer.api().get("/api/v1/deployments").status()).isEqualTo(403);
        assertThat(admin.get("/api/v1/deployments?active=true").json().get("deployments"))
                .noneSatisfy(listed -> assertThat(listed.get("tool_id").asText()).isEqualTo(toolId));
    }

    @Test
    void unknownToolsAndDeploymentsAreNotFound() {
        Api.Response unknownTool = deploy(admin, UUID.randomUUID().toString());
        assertThat(unknownTool.status()).as(unknownTool.text()).isEqualTo(404);
        assertThat(unknownTool.json().at("/error/code").asText()).isEqualTo("NOT_FOUND");
        assertThat(admin.get("/api/v1/deployments/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/deployments/not-a-uuid").status()).isEqualTo(404);
        assertThat(admin.delete("/api/v1/deployments/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void invalidBodiesAreRefusedLikeToolBodies() {
        Api.Response missing = admin.post("/api/v1/deployments", Map.of());
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.json().at("/error/code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(missing.json().at("/error/details/errors/0/field").asText()).isEqualTo("tool_id");

        Api.Response wrong = admin.post("/api/v1/deployments", Map.of("tool_id", 7, "colour", "red"));
        assertThat(wrong.status()).isEqualTo(422);
        assertThat(wrong.json().at("/error/details/errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("tool_id", "colour");

        Api.Response malformed = admin.post("/api/v1/deployments", "{\"tool_id\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().at("/error/code").asText()).isEqualTo("MALFORMED_JSON");

        String toolId = registerTool(admin, uniqueSlug("noserver"), idleNodeConfig());
        Api.Response unknownServer = admin.post("/api/v1/deployments", Tools.map("tool_id", toolId, "server", "nope"));
        assertThat(unknownServer.status()).as(unknownServer.text()).isEqualTo(422);
        assertThat(unknownServer.json().at("/error/details/errors/0/field").asText()).isEqualTo("server");
    }

    @Test
    void onlyAdminsApproveToolDefinitionsAndThereIsNothingToApproveBeforeAChange() {
        Accounts.Account developer = Accounts.create(port, "developer");
        String id = deployed(developer.api(), registerTool(developer.api(), uniqueSlug("approve"), idleNodeConfig()))
                .get("id").asText();
        toStop.add(id);

        Api.Response byDeveloper = developer.api().post("/api/v1/deployments/" + id + "/approve-definitions", null);
        assertThat(byDeveloper.status()).isEqualTo(403);
        Api.Response byAdmin = admin.post("/api/v1/deployments/" + id + "/approve-definitions", null);
        assertThat(byAdmin.status()).as(byAdmin.text()).isEqualTo(409);
        assertThat(byAdmin.json().at("/error/code").asText()).isEqualTo("NOTHING_TO_APPROVE");
    }
}
