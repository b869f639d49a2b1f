package org.mcpplatform.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcpplatform.support.Accounts;
import org.mcpplatform.support.McpServers;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.deployment.EndToEnd.apiKey;
import static org.mcpplatform.deployment.EndToEnd.awaitRunning;
import static org.mcpplatform.deployment.EndToEnd.deploy;
import static org.mcpplatform.deployment.EndToEnd.everythingConfig;
import static org.mcpplatform.deployment.EndToEnd.register;
import static org.mcpplatform.support.Tools.uniqueSlug;

/**
 * The gateway is a plain Streamable HTTP endpoint: the official TypeScript client (@modelcontextprotocol/sdk, the
 * version server-everything brings along in mcp-servers/node_modules) works against a deployed server-everything
 * without any change, with an API key as its Bearer credential — tools, a tool call, progress notifications on a
 * long call, and a resource.
 */
@SupervisedPlatformTest
class OfficialTypeScriptClientTest {

    private static final long CLIENT_TIMEOUT_SECONDS = 60;

    @LocalServerPort
    int port;

    @TempDir
    Path output;

    private final List<Runnable> cleanup = new ArrayList<>();

    @AfterEach
    void stopDeployments() {
        cleanup.forEach(Runnable::run);
    }

    @Test
    void theOfficialTypeScriptClientUsesADeployedServerUnchanged() throws Exception {
        Path nodeModules = McpServers.nodeModules();
        Path sdk = nodeModules.resolve("@modelcontextprotocol/sdk");
        assertThat(sdk.resolve("dist/esm/client/streamableHttp.js"))
                .as("the TypeScript SDK comes with server-everything").isRegularFile();

        Accounts.Account developer = Accounts.create(port, "developer");
        String toolId = register(developer.api(), uniqueSlug("typescript"), everythingConfig(Map.of()));
        String deploymentId = deploy(developer.api(), toolId);
        cleanup.add(() -> developer.api().delete("/api/v1/deployments/" + deploymentId));
        JsonNode running = awaitRunning(developer.api(), deploymentId);
        String endpoint = running.get("endpoint_url").asText();

        JsonNode seen = runTypeScriptClient(endpoint, nodeModules, apiKey(developer));

        String sdkVersion = new ObjectMapper().readTree(sdk.resolve("package.json").toFile()).get("version").asText();
        assertThat(seen.get("sdkVersion").asText()).isEqualTo(sdkVersion);
        assertThat(seen.get("sessionId").asText()).as("the gateway gave the client a session").isEqualTo("present");
        assertThat(seen.path("server").path("name").asText()).isEqualTo("mcp-servers/everything");
        assertThat(seen.get("tools")).extracting(JsonNode::asText)
                                     .contains("echo", "trigger-long-running-operation", "get-env");
        assertThat(seen.get("echoIsError").asBoolean()).isFalse();
        assertThat(seen.get("echo").asText()).isEqualTo("Echo: from typescript");
        assertThat(seen.get("longRun").asText()).contains("Long running operation completed");
        assertThat(seen.get("progressCount").asInt()).as("progress notifications relayed: " + seen.get("progress"))
                                                   .isEqualTo(3);
        assertThat(seen.get("progress")).extracting(p -> p.get("progress").asInt()).containsExactly(1, 2, 3);
        assertThat(seen.get("resourceText").asText()).startsWith("Resource 1:");
    }

    /** Runs mcp-clients/typescript-client.mjs with node; answers the one JSON line it prints. */
    private JsonNode runTypeScriptClient(String endpoint, Path nodeModules, String credential)
            throws IOException, InterruptedException, URISyntaxException {
        Path script = Path.of(getClass().getResource("/mcp-clients/typescript-client.mjs").toURI());
        Path stdout = output.resolve("stdout");
        Path stderr = output.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder("node", script.toString(), endpoint, nodeModules.toString())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // in the environment, not in argv: the process list shows argv to every local user
        builder.environment().put("MCP_BEARER", credential);
        Process client = builder.start();
        try {
            boolean exited = client.waitFor(CLIENT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String errors = Files.readString(stderr, StandardCharsets.UTF_8);
            assertThat(exited).as("the TypeScript client finished within " + CLIENT_TIMEOUT_SECONDS + " s; stderr: "
                                          + errors).isTrue();
            assertThat(client.exitValue()).as("the TypeScript client's exit code; stderr: " + errors).isZero();
            List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8).stream()
                                      .filter(line -> !line.isBlank()).toList();
            assertThat(lines).as("one JSON line; stderr: " + errors).hasSize(1);
            return new ObjectMapper().readTree(lines.get(0));
        } finally {
            client.destroyForcibly();
        }
    }
}
