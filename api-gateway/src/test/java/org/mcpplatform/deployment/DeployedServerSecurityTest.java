package org.mcpplatform.deployment;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.modelcontextprotocol.client.McpSyncClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Accounts;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.Secrets;
import org.mcpplatform.support.TestServices;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.deployment.EndToEnd.apiKey;
import static org.mcpplatform.deployment.EndToEnd.awaitRunning;
import static org.mcpplatform.deployment.EndToEnd.call;
import static org.mcpplatform.deployment.EndToEnd.deploy;
import static org.mcpplatform.deployment.EndToEnd.everythingConfig;
import static org.mcpplatform.deployment.EndToEnd.javaServerConfig;
import static org.mcpplatform.deployment.EndToEnd.register;
import static org.mcpplatform.deployment.EndToEnd.text;
import static org.mcpplatform.deployment.EndToEnd.withApiKey;
import static org.mcpplatform.deployment.EndToEnd.withToken;
import static org.mcpplatform.support.Tools.uniqueSlug;

/**
 * What a deployed server gets to see of the platform, asked through the gateway like any client would: its
 * environment holds no credential of the caller and no secret of the platform, and its argv is exactly the configured
 * one, never interpreted by a shell.
 */
@SupervisedPlatformTest
class DeployedServerSecurityTest {

    private static final TypeReference<Map<String, String>> ENV = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    @LocalServerPort
    int port;

    private final List<Runnable> cleanup = new ArrayList<>();

    @AfterEach
    void stopDeployments() {
        cleanup.forEach(Runnable::run);
    }

    @Test
    void aRestartRunsTheConfigThatWasDeployedNotOneTheAuthorChangedSince() throws Exception {
        Accounts.Account developer = Accounts.create(port, "developer");
        String toolId = register(developer.api(), uniqueSlug("pinned-config"),
                                 everythingConfig(Map.of("GREETING", "as deployed")));
        String deploymentId = deploy(developer.api(), toolId);
        cleanup.add(() -> developer.api().delete("/api/v1/deployments/" + deploymentId));
        JsonNode running = awaitRunning(developer.api(), deploymentId);
        long firstPid = running.get("pid").asLong();

        // the author changes the config afterwards, to a command only an admin could deploy
        Api.Response changed = developer.api().patch("/api/v1/mcps/" + toolId, Map.of("config", Map.of(
                "mcpServers", Map.of("main", Map.of("command", "/bin/sh", "args", List.of("-c", "id"))))));
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);

        EndToEnd.signal("KILL", firstPid);
        JsonNode restarted = EndToEnd.awaitDeployment(developer.api(), deploymentId, "restarted and running", d ->
                "running".equals(d.path("status").asText()) && d.path("pid").isNumber()
                        && d.path("pid").asLong() != firstPid);
        assertThat(restarted.get("restarts").asInt()).isEqualTo(1);
        try (McpSyncClient client = withApiKey(restarted.get("endpoint_url").asText(), apiKey(developer))) {
            client.initialize();
            Map<String, String> variables = Api.JSON.readValue(text(call(client, "get-env", Map.of())), ENV);
            assertThat(variables).containsEntry("GREETING", "as deployed");
        }
    }

    @Test
    void theServersEnvironmentHoldsNeitherTheCallersCredentialsNorThePlatformsSecrets() throws Exception {
        Accounts.Account developer = Accounts.create(port, "developer");
        String toolId = register(developer.api(), uniqueSlug("env"), everythingConfig(Map.of("GREETING", "hello")));
        String deploymentId = deploy(developer.api(), toolId);
        cleanup.add(() -> developer.api().delete("/api/v1/deployments/" + deploymentId));
        String endpoint = awaitRunning(developer.api(), deploymentId).get("endpoint_url").asText();
        String key = apiKey(developer);

        List<String> environments = new ArrayList<>();
        try (McpSyncClient byToken = withToken(endpoint, developer.accessToken())) {
            byToken.initialize();
            environments.add(text(call(byToken, "get-env", Map.of())));
        }
        try (McpSyncClient byKey = withApiKey(endpoint, key)) {
            byKey.initialize();
            environments.add(text(call(byKey, "get-env", Map.of())));
        }

        List<String> signingKeyLines = signingKeyLines();
        for (String env : environments) {
            Map<String, String> variables = Api.JSON.readValue(env, ENV);
            assertThat(variables.keySet()).as("only PATH, HOME and the config's variables")
                                          .containsExactlyInAnyOrder("PATH", "HOME", "GREETING");
            assertThat(variables).containsEntry("GREETING", "hello");
            assertThat(env).doesNotContain(developer.accessToken())
                           .doesNotContain(key)
                           .doesNotContainIgnoringCase("authorization")
                           .doesNotContain(TestServices.ADMIN_PASSWORD)
                           .doesNotContain(new Api(port).adminToken())
                           .doesNotContain("PRIVATE KEY");
            assertThat(signingKeyLines).allSatisfy(line -> assertThat(env).doesNotContain(line));
            assertThat(Secrets.all()).allSatisfy(secret -> assertThat(env.contains(secret.value()))
                    .as("the server's environment contains a " + secret).isFalse());
            // nothing of the platform's own environment but PATH
            System.getenv().keySet().stream().filter(name -> !name.equals("PATH") && !name.equals("HOME"))
                  .forEach(name -> assertThat(variables).doesNotContainKey(name));
        }
    }

    /** The base64 lines of the platform's JWT signing key (the test applications keep it in target/test-data). */
    private static List<String> signingKeyLines() throws Exception {
        Path pem = Path.of("target/test-data/jwt/signing-key.pem");
        if (!Files.isRegularFile(pem)) {
            return List.of();
        }
        return Files.readAllLines(pem).stream().filter(line -> !line.startsWith("-----") && line.length() >= 16)
                    .toList();
    }

    @Test
    void shellMetacharactersInArgsReachTheServerLiterally() {
        Api admin = new Api(port);
        Path marker = Path.of("/tmp/x-" + UUID.randomUUID());
        List<String> hostile = List.of("$(touch " + marker + ")", "; echo pwned", "`id`", "a|b", "&&",
                                       "> " + marker, "*");
        // an absolute path is not on the allow-list: only an admin deploys it
        String toolId = register(admin, uniqueSlug("argv"), javaServerConfig(hostile.toArray(String[]::new)));
        String deploymentId = deploy(admin, toolId);
        cleanup.add(() -> admin.delete("/api/v1/deployments/" + deploymentId));
        String endpoint = awaitRunning(admin, deploymentId).get("endpoint_url").asText();

        try (McpSyncClient client = withToken(endpoint, admin.adminToken())) {
            client.initialize();
            List<String> argv = read(text(call(client, "argv", Map.of())), STRINGS);
            assertThat(argv).containsExactlyElementsOf(hostile);
            List<String> envKeys = read(text(call(client, "env-keys", Map.of())), STRINGS);
            assertThat(envKeys).containsExactly("HOME", "PATH");
        }
        assertThat(marker).doesNotExist();
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return Api.JSON.readValue(json, type);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    @Test
    void aDeveloperCannotDeployTheJavaBinaryByItsPath() {
        Accounts.Account developer = Accounts.create(port, "developer");
        String toolId = register(developer.api(), uniqueSlug("java"), javaServerConfig());

        Api.Response refused = Deployments.deploy(developer.api(), toolId);

        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
    }
}
