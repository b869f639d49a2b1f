package org.mcpplatform.benchmark.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The platform's REST API, just enough to put server-everything behind /mcp/{slug}: log in as the administrator,
 * create an API key, register the tool, deploy it and wait until the deployment runs.
 */
final class Platform {

    private static final Duration DEPLOY_WAIT = Duration.ofSeconds(120);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    /** What the benchmark needs of a running deployment. {@code apiKey} is a secret: never print it. */
    record Deployed(String deploymentId, String endpointPath, String apiKey) {
        @Override
        public String toString() {
            return "Deployed[" + deploymentId + " " + endpointPath + "]";
        }
    }

    Platform(String base, String username, String password) throws IOException, InterruptedException {
        this.base = base.replaceAll("/+$", "");
        JsonNode login = expect(send("POST", "/api/v1/auth/login", null,
                                     Map.of("username", username, "password", password)), 200, "log in");
        this.token = login.path("access_token").asText();
    }

    String base() {
        return base;
    }

    Deployed deployEverything(String serverEntry, String slug) throws IOException, InterruptedException {
        String apiKey = expect(send("POST", "/api/v1/auth/api-keys", token, Map.of("name", "gateway-benchmark")),
                               201, "create an API key").path("key").asText();
        Map<String, Object> config = Map.of("mcpServers", Map.of("everything", Map.of(
                "command", "node", "args", List.of(serverEntry, "stdio"))));
        String toolId = expect(send("POST", "/api/v1/mcps", token, Map.of(
                "name", "Gateway benchmark echo", "slug", slug, "version", "1.0.0",
                "description", "server-everything over stdio", "config", config)), 201, "register the tool")
                .path("id").asText();

        HttpResponse<String> requested = send("POST", "/api/v1/deployments", token, Map.of("tool_id", toolId));
        if (requested.statusCode() == 404) {
            throw new IllegalStateException(
                    "POST /api/v1/deployments answered 404: this build has no deployment API yet, so target (c) "
                            + "(the platform's /mcp/{slug}) cannot run. Run it from a checkout that has the "
                            + "deployments and the gateway.");
        }
        if (requested.statusCode() / 100 != 2) {
            throw new IllegalStateException("deploy: HTTP " + requested.statusCode() + " " + requested.body());
        }
        JsonNode deployment = json.readTree(requested.body());
        String id = deployment.path("id").asText();
        long deadline = System.nanoTime() + DEPLOY_WAIT.toNanos();
        while (!"running".equals(deployment.path("status").asText())) {
            if ("failed".equals(deployment.path("status").asText())
                    || "stopped".equals(deployment.path("status").asText())) {
                throw new IllegalStateException("deployment " + id + " is " + deployment.path("status").asText()
                                                        + ": " + deployment.path("last_error").asText());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("deployment " + id + " not running after " + DEPLOY_WAIT
                                                        + ", last seen: " + deployment);
            }
            Thread.sleep(200);
            HttpResponse<String> polled = send("GET", "/api/v1/deployments/" + id, token, null);
            if (polled.statusCode() == 404) {
                throw new IllegalStateException("GET /api/v1/deployments/" + id + " answered 404: no deployment API");
            }
            deployment = expect(polled, 200, "read the deployment");
        }
        String endpoint = deployment.path("endpoint_url").asText("");
        String path = endpoint.isEmpty() ? "/mcp/" + slug : URI.create(endpoint).getPath();
        System.out.println("deployment " + id + " running, endpoint " + path);
        return new Deployed(id, path, apiKey);
    }

    void stop(Deployed deployed) {
        try {
            send("DELETE", "/api/v1/deployments/" + deployed.deploymentId(), token, null);
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.out.println("could not stop deployment " + deployed.deploymentId() + ": " + e);
        }
    }

    private HttpResponse<String> send(String method, String path, String bearer, Object body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode expect(HttpResponse<String> response, int status, String what) throws IOException {
        if (response.statusCode() != status) {
            // error bodies are the platform's {"error": ...}, never a credential
            throw new IllegalStateException(what + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return json.readTree(response.body());
    }
}
