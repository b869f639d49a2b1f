package org.mcpplatform.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import org.mcpplatform.support.Accounts;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.McpServers;
import org.mcpplatform.support.Secrets;
import org.mcpplatform.support.Tools;
import org.mcpplatform.testserver.TestMcpServer;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user of the platform does, through its public HTTP API only: register a tool, deploy it, watch the
 * deployment, and talk to the deployed server at its endpoint_url with the official MCP Java SDK client.
 */
final class EndToEnd {

    static final Duration PATIENCE = Duration.ofSeconds(60);

    private EndToEnd() {
    }

    // ---- tool configs

    /** server-everything over stdio, with extra environment variables for the child. */
    static ObjectNode everythingConfig(Map<String, String> env) {
        McpServers.Command everything = McpServers.everythingCommand();
        ObjectNode config = Tools.stdioConfig(everything.command(), everything.args().toArray(String[]::new));
        if (!env.isEmpty()) {
            ObjectNode vars = ((ObjectNode) config.get("mcpServers").get("main")).putObject("env");
            env.forEach(vars::put);
        }
        return config;
    }

    /**
     * The Java SDK test server (sagas test-jar) run by this JVM's java binary, an absolute path: not on the allow-list,
     * so only an admin may deploy it. Its classpath is cut down to what the server needs, to fit in one argument.
     */
    static ObjectNode javaServerConfig(String... serverArgs) {
        List<String> argv = new ArrayList<>(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                                                    "-cp", testServerClasspath(), TestMcpServer.class.getName()));
        argv.addAll(List.of(serverArgs));
        return Tools.stdioConfig(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                 argv.toArray(String[]::new));
    }

    /** The sagas test classes and the SDK with its dependencies, from the test classpath. */
    static String testServerClasspath() {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> needed = Arrays.stream(classpath.split(File.pathSeparator))
                                    .filter(EndToEnd::neededByTestServer).toList();
        assertThat(needed).as("the sagas test classes on the classpath " + classpath)
                          .anyMatch(entry -> entry.contains("sagas"));
        return String.join(File.pathSeparator, needed);
    }

    private static boolean neededByTestServer(String entry) {
        String name = Path.of(entry).getFileName().toString();
        boolean sagasTests = entry.replace('\\', '/').contains("/sagas/target/test-classes")
                || name.matches("sagas-.*-tests\\.jar");
        return sagasTests || name.startsWith("mcp-core-") || name.startsWith("mcp-json-jackson2-")
                || name.startsWith("jackson-") || name.startsWith("reactor-core-")
                || name.startsWith("reactive-streams-") || name.startsWith("slf4j-api-")
                || name.startsWith("json-schema-validator-");
    }

    // ---- the API

    /** Registers a tool as the given user; answers its id. */
    static String register(Api as, String slug, ObjectNode config) {
        return Deployments.registerTool(as, slug, config);
    }

    /** POST /api/v1/deployments → 202 starting; answers the deployment's id. */
    static String deploy(Api as, String toolId) {
        JsonNode accepted = Deployments.deployed(as, toolId);
        assertThat(accepted.get("status").asText()).isEqualTo("starting");
        return accepted.get("id").asText();
    }

    static JsonNode deployment(Api as, String deploymentId) {
        Api.Response read = as.get("/api/v1/deployments/" + deploymentId);
        assertThat(read.status()).as(read.text()).isEqualTo(200);
        return read.json();
    }

    /** Polls GET /api/v1/deployments/{id} until the condition holds; answers that view. */
    static JsonNode awaitDeployment(Api as, String deploymentId, String what, Predicate<JsonNode> condition) {
        Instant deadline = Instant.now().plus(PATIENCE);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = deployment(as, deploymentId);
            if (condition.test(last)) {
                return last;
            }
            sleep(100);
        }
        throw new AssertionError("Not within " + PATIENCE + ": " + what + "; the deployment is " + last);
    }

    /** Running with a pid and a healthy check (health checks run every second here). */
    static JsonNode awaitRunning(Api as, String deploymentId) {
        return awaitDeployment(as, deploymentId, "running and healthy", d ->
                "running".equals(d.path("status").asText()) && d.path("pid").isNumber()
                        && "healthy".equals(d.path("health_status").asText()));
    }

    static String apiKey(Accounts.Account account) {
        Api.Response created = account.api().post("/api/v1/auth/api-keys", Map.of("name", "mcp-client"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return Secrets.remember(created.json().get("key").asText());
    }

    // ---- the MCP endpoint

    /** An SDK client for the endpoint_url, sending the credential in the given header (Authorization or X-API-Key). */
    static McpSyncClient client(String endpointUrl, String header, String value,
                                Consumer<McpSchema.ProgressNotification> progress) {
        URI endpoint = URI.create(endpointUrl);
        String base = endpoint.getScheme() + "://" + endpoint.getAuthority();
        Secrets.rememberHeader(header, value);
        var transport = HttpClientStreamableHttpTransport.builder(base)
                .endpoint(endpoint.getPath())
                .httpRequestCustomizer((request, method, uri, body, context) -> request.header(header, value))
                .build();
        return McpClient.sync(transport)
                        .requestTimeout(Duration.ofSeconds(30))
                        .initializationTimeout(Duration.ofSeconds(30))
                        // networknt 1.5.9 (pinned by the platform) breaks the SDK's default validator
                        .jsonSchemaValidator((schema, value1) -> JsonSchemaValidator.ValidationResponse.asValid(null))
                        .progressConsumer(progress)
                        .build();
    }

    static McpSyncClient client(String endpointUrl, String header, String value) {
        return client(endpointUrl, header, value, progress -> { });
    }

    static McpSyncClient withApiKey(String endpointUrl, String apiKey) {
        return client(endpointUrl, "X-API-Key", apiKey);
    }

    static McpSyncClient withToken(String endpointUrl, String accessToken) {
        return client(endpointUrl, "Authorization", "Bearer " + accessToken);
    }

    static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
        return client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    }

    static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    static String echo(McpSyncClient client, String message) {
        McpSchema.CallToolResult result = call(client, "echo", Map.of("message", message));
        assertThat(result.isError()).as("echo failed: " + result).isNotEqualTo(Boolean.TRUE);
        return text(result);
    }

    // ---- processes

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static void signal(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(kill.exitValue()).isZero();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void awaitGone(long pid) {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (alive(pid)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("process " + pid + " still alive after " + PATIENCE);
            }
            sleep(50);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
