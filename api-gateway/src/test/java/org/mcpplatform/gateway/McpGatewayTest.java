package org.mcpplatform.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Accounts;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformTest;
import org.mcpplatform.support.Secrets;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /mcp/{slug} end to end: the official MCP Java SDK client and raw HTTP against the platform, which relays to a real
 * server-everything child.
 */
@PlatformTest
@Import(TestUpstreams.class)
class McpGatewayTest {

    static final String SLUG = "everything-gw";
    static final String BOTH = "application/json, text/event-stream";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @Autowired
    TestUpstreams.Registry upstreams;

    @BeforeEach
    void deploy() throws Exception {
        upstreams.everything(SLUG);
    }

    static String apiKey(Accounts.Account account) {
        Api.Response created = account.api().post("/api/v1/auth/api-keys", Map.of("name", "mcp-client"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return Secrets.remember(created.json().get("key").asText());
    }

    static McpSyncClient sdkClient(int port, String slug, String credential,
                                   java.util.function.Consumer<McpSchema.ProgressNotification> progress) {
        var transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                .endpoint("/mcp/" + slug)
                .httpRequestCustomizer((request, method, uri, body, context) ->
                                               request.header("Authorization", "Bearer " + credential))
                .build();
        return McpClient.sync(transport)
                        .requestTimeout(Duration.ofSeconds(30))
                        .initializationTimeout(Duration.ofSeconds(30))
                        .jsonSchemaValidator((schema, value) -> JsonSchemaValidator.ValidationResponse.asValid(null))
                        .progressConsumer(progress)
                        .build();
    }

    @Test
    void theOfficialJavaClientWorksThroughTheGatewayWithAnApiKey() {
        Accounts.Account viewer = Accounts.create(port, "viewer");
        List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
        try (McpSyncClient client = sdkClient(port, SLUG, apiKey(viewer), progress::add)) {
            McpSchema.InitializeResult init = client.initialize();
            assertThat(init.serverInfo().name()).isEqualTo("mcp-servers/everything");
            assertThat(init.protocolVersion()).isEqualTo(McpProtocol.LATEST_VERSION);
            assertThat(init.capabilities().tools()).isNotNull();

            List<String> tools = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
            assertThat(tools).contains("echo", "trigger-long-running-operation", "get-env");

            McpSchema.CallToolResult echo = client.callTool(new McpSchema.CallToolRequest("echo",
                                                                                          Map.of("message", "hi")));
            assertThat(((McpSchema.TextContent) echo.content().get(0)).text()).isEqualTo("Echo: hi");

            McpSchema.CallToolResult longRun = client.callTool(
                    McpSchema.CallToolRequest.builder("trigger-long-running-operation")
                                             .arguments(Map.of("duration", 1, "steps", 3))
                                             .progressToken("tok-1").build());
            assertThat(((McpSchema.TextContent) longRun.content().get(0)).text())
                    .contains("Long running operation completed");
            // the SDK hands notifications to the consumer on its own scheduler: the response may overtake the last
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (progress.size() < 3 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(progress).hasSize(3);
            assertThat(progress).allSatisfy(p -> assertThat(p.progressToken()).isEqualTo("tok-1"));
            assertThat(progress.get(2).progress()).isEqualTo(3.0);

            McpSchema.ReadResourceResult resource = client.readResource(
                    new McpSchema.ReadResourceRequest("demo://resource/dynamic/text/1"));
            assertThat(((McpSchema.TextResourceContents) resource.contents().get(0)).text()).contains("Resource 1");

            client.ping();
        }
    }

    // ---- raw HTTP

    record Reply(int status, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return Api.JSON.readTree(raw.body());
            } catch (Exception e) {
                throw new IllegalStateException("not JSON: " + raw.body(), e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    Reply send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                                 .timeout(Duration.ofSeconds(60))
                                                 .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                                         : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response);
    }

    Reply post(String slug, String credential, String session, String body, String... extra) throws Exception {
        List<String> headers = new ArrayList<>(List.of("Content-Type", "application/json", "Accept", BOTH,
                                                       "Authorization", "Bearer " + credential));
        if (session != null) {
            headers.addAll(List.of("Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-06-18"));
        }
        headers.addAll(List.of(extra));
        return send("POST", "/mcp/" + slug, body, headers.toArray(String[]::new));
    }

    static String initialize(String version) {
        return "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"" + version
                + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
    }

    static String echo(Object id, String message) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
                + "\"arguments\":{\"message\":\"" + message + "\"}}}";
    }

    /** Initializes a session and returns its id. */
    String open(String slug, String credential) throws Exception {
        Reply init = post(slug, credential, null, initialize("2025-06-18"));
        assertThat(init.status()).as(init.raw().body()).isEqualTo(200);
        assertThat(init.json().at("/result/protocolVersion").asText()).isEqualTo("2025-06-18");
        String session = init.header("Mcp-Session-Id");
        assertThat(session).matches("[A-Za-z0-9_-]{22,}");
        return session;
    }

    @Test
    void versionsAreNegotiated() throws Exception {
        String admin = new Api(port).adminToken();
        Reply old = post(SLUG, admin, null, initialize("2024-11-05"));
        assertThat(old.json().at("/result/protocolVersion").asText()).isEqualTo("2024-11-05");
        Reply future = post(SLUG, admin, null, initialize("2099-01-01"));
        assertThat(future.json().at("/result/protocolVersion").asText()).isEqualTo(McpProtocol.LATEST_VERSION);
        assertThat(future.json().at("/result/serverInfo/name").asText()).isEqualTo("mcp-servers/everything");
    }

    @Test
    void aForeignOriginIsRefused() throws Exception {
        String admin = new Api(port).adminToken();
        Reply foreign = post(SLUG, admin, null, initialize("2025-06-18"), "Origin", "http://evil.example");
        assertThat(foreign.status()).isEqualTo(403);
        String session = open(SLUG, admin);
        Reply rebinding = post(SLUG, admin, session, echo(1, "x"), "Origin", "http://127.0.0.1:" + port);
        assertThat(rebinding.status()).as("the Host header does not make an origin allowed").isEqualTo(403);
    }

    @Test
    void anotherUsersSessionIsNotFound() throws Exception {
        Accounts.Account alice = Accounts.create(port, "viewer");
        Accounts.Account bob = Accounts.create(port, "viewer");
        String session = open(SLUG, alice.accessToken());
        Reply stolen = post(SLUG, bob.accessToken(), session, echo(1, "x"));
        assertThat(stolen.status()).isEqualTo(404);
        Reply unknown = post(SLUG, bob.accessToken(), "no-such-session", echo(1, "x"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(stolen.raw().body()).isEqualTo(unknown.raw().body());
        Reply own = post(SLUG, alice.accessToken(), session, echo(1, "mine"));
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().at("/result/content/0/text").asText()).isEqualTo("Echo: mine");
        // a session is bound to its slug too
        upstreams.everything(SLUG + "-2");
        assertThat(post(SLUG + "-2", alice.accessToken(), session, echo(1, "x")).status()).isEqualTo(404);
    }

    @Test
    void transportRulesAreEnforced() throws Exception {
        String admin = new Api(port).adminToken();
        String session = open(SLUG, admin);

        Reply missing = post(SLUG, admin, null, echo(1, "x"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().at("/error/message").asText()).contains("Mcp-Session-Id");

        Reply badVersion = send("POST", "/mcp/" + SLUG, echo(1, "x"), "Content-Type", "application/json",
                                "Accept", BOTH, "Authorization", "Bearer " + admin, "Mcp-Session-Id", session,
                                "MCP-Protocol-Version", "1999-01-01");
        assertThat(badVersion.status()).isEqualTo(400);
        Reply stateless = send("POST", "/mcp/" + SLUG, echo(1, "x"), "Content-Type", "application/json",
                               "Accept", BOTH, "Authorization", "Bearer " + admin, "Mcp-Session-Id", session,
                               "MCP-Protocol-Version", "2026-07-28");
        assertThat(stateless.status()).as("a stateless request needs the revision's headers and _meta").isEqualTo(400);
        Reply noVersion = send("POST", "/mcp/" + SLUG, echo(1, "assumed"), "Content-Type", "application/json",
                               "Accept", BOTH, "Authorization", "Bearer " + admin, "Mcp-Session-Id", session);
        assertThat(noVersion.status()).as("absent means 2025-03-26").isEqualTo(200);

        Reply jsonOnly = send("POST", "/mcp/" + SLUG, echo(1, "x"), "Content-Type", "application/json",
                              "Accept", "application/json", "Authorization", "Bearer " + admin,
                              "Mcp-Session-Id", session);
        assertThat(jsonOnly.status()).isEqualTo(406);
        assertThat(jsonOnly.json().at("/error/code").asInt()).isEqualTo(-32000);

        Reply notification = post(SLUG, admin, session,
                                  "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        assertThat(notification.status()).isEqualTo(202);
        assertThat(notification.raw().body()).isEmpty();

        Reply batch = post(SLUG, admin, session, "[" + echo(1, "x") + "]");
        assertThat(batch.status()).isEqualTo(400);
        Reply garbage = post(SLUG, admin, session, "{not json");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.json().at("/error/code").asInt()).isEqualTo(-32700);

        Reply ping = post(SLUG, admin, session, "{\"jsonrpc\":\"2.0\",\"id\":\"p\",\"method\":\"ping\"}");
        assertThat(ping.json().at("/id").asText()).isEqualTo("p");
        assertThat(ping.json().get("result").isEmpty()).isTrue();

        Reply nowhere = post("no-such-slug", admin, null, initialize("2025-06-18"));
        assertThat(nowhere.status()).isEqualTo(404);
        assertThat(nowhere.json().has("id")).isTrue();
        assertThat(nowhere.json().get("id").isNull()).isTrue();
        assertThat(nowhere.json().at("/error/code").asInt()).isLessThan(0);
    }

    @Test
    void withoutCredentialsTheChallengePointsToTheResourceMetadata() throws Exception {
        Reply anonymous = send("POST", "/mcp/" + SLUG, initialize("2025-06-18"), "Content-Type", "application/json",
                               "Accept", BOTH);
        assertThat(anonymous.status()).isEqualTo(401);
        String metadataUrl = "http://127.0.0.1:" + port + "/.well-known/oauth-protected-resource/mcp/" + SLUG;
        assertThat(anonymous.header("WWW-Authenticate")).isEqualTo("Bearer resource_metadata=\"" + metadataUrl + "\"");
        Reply badToken = send("POST", "/mcp/" + SLUG, initialize("2025-06-18"), "Content-Type", "application/json",
                              "Accept", BOTH, "Authorization", "Bearer not-a-token");
        assertThat(badToken.status()).isEqualTo(401);
        assertThat(badToken.header("WWW-Authenticate")).contains("invalid_token").contains(metadataUrl);

        Reply metadata = send("GET", "/.well-known/oauth-protected-resource/mcp/" + SLUG, null);
        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.json().get("resource").asText()).isEqualTo("http://127.0.0.1:" + port + "/mcp/" + SLUG);
        assertThat(metadata.json().get("bearer_methods_supported").get(0).asText()).isEqualTo("header");
        assertThat(metadata.json().has("authorization_servers")).isFalse();
        assertThat(send("GET", "/.well-known/oauth-protected-resource", null).status()).isEqualTo(200);
    }

    @Test
    void concurrentClientsWithTheSameRequestIdEachGetTheirOwnAnswer() throws Exception {
        String admin = new Api(port).adminToken();
        int clients = 8;
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            sessions.add(open(SLUG, admin));
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            for (int round = 0; round < 10; round++) {
                List<Future<Boolean>> answers = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    String session = sessions.get(i);
                    String message = "client-" + i + "-round-" + round;
                    answers.add(pool.submit(() -> {
                        Reply reply = post(SLUG, admin, session, echo(7, message));
                        return reply.json().at("/id").asInt() == 7
                                && reply.json().at("/result/content/0/text").asText().equals("Echo: " + message);
                    }));
                }
                for (Future<Boolean> answer : answers) {
                    assertThat(answer.get(60, TimeUnit.SECONDS)).isTrue();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void progressTokensGetAnEventStreamWithEventIds() throws Exception {
        String admin = new Api(port).adminToken();
        String session = open(SLUG, admin);
        Reply streamed = post(SLUG, admin, session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"trigger-long-running-operation\",\"arguments\":{\"duration\":1,"
                + "\"steps\":2},\"_meta\":{\"progressToken\":42}}}");
        assertThat(streamed.status()).isEqualTo(200);
        assertThat(streamed.header("Content-Type")).startsWith("text/event-stream");
        List<String> data = streamed.raw().body().lines().filter(l -> l.startsWith("data: ")).toList();
        List<String> ids = streamed.raw().body().lines().filter(l -> l.startsWith("id: ")).toList();
        assertThat(data).hasSize(3);
        assertThat(ids).hasSize(3).doesNotHaveDuplicates();
        assertThat(data.get(0)).contains("notifications/progress").contains("\"progressToken\":42");
        assertThat(data.get(2)).contains("\"id\":3").contains("Long running operation completed");
    }

    @Test
    void theGetStreamIsOnePerSessionAndDeleteEndsTheSession() throws Exception {
        String admin = new Api(port).adminToken();
        String session = open(SLUG, admin);
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp/" + SLUG))
                                     .header("Accept", "text/event-stream").header("Authorization", "Bearer " + admin)
                                     .header("Mcp-Session-Id", session).GET().build();
        HttpResponse<InputStream> stream = HTTP.sendAsync(get, HttpResponse.BodyHandlers.ofInputStream())
                                               .get(10, TimeUnit.SECONDS);
        try {
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            Reply second = send("GET", "/mcp/" + SLUG, null, "Accept", "text/event-stream",
                                "Authorization", "Bearer " + admin, "Mcp-Session-Id", session);
            assertThat(second.status()).isEqualTo(409);
            Reply wrongAccept = send("GET", "/mcp/" + SLUG, null, "Accept", "application/json",
                                     "Authorization", "Bearer " + admin, "Mcp-Session-Id", session);
            assertThat(wrongAccept.status()).isEqualTo(406);

            Reply deleted = send("DELETE", "/mcp/" + SLUG, null, "Authorization", "Bearer " + admin,
                                 "Mcp-Session-Id", session);
            assertThat(deleted.status()).isEqualTo(204);
            // the stream ends with the session
            assertThat(stream.body().readAllBytes()).isNotNull();
            assertThat(post(SLUG, admin, session, echo(1, "x")).status()).isEqualTo(404);
        } finally {
            stream.body().close();
        }
    }

    @Test
    void theRestFaceListsAndCalls() {
        Accounts.Account viewer = Accounts.create(port, "viewer");
        Api api = viewer.api();
        Api.Response tools = api.get("/mcp/" + SLUG + "/v1/tools");
        assertThat(tools.status()).as(tools.text()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        tools.json().get("tools").forEach(tool -> names.add(tool.get("name").asText()));
        assertThat(names).contains("echo", "get-sum");
        assertThat(tools.json().at("/tools/0/inputSchema").isObject()).isTrue();

        Api.Response call = api.post("/mcp/" + SLUG + "/v1/tools/echo/call", Map.of("arguments",
                                                                                     Map.of("message", "rest")));
        assertThat(call.status()).as(call.text()).isEqualTo(200);
        assertThat(call.json().at("/content/0/text").asText()).isEqualTo("Echo: rest");

        Api.Response resources = api.get("/mcp/" + SLUG + "/v1/resources");
        assertThat(resources.json().get("resources").size()).isGreaterThan(0);
        Api.Response prompts = api.get("/mcp/" + SLUG + "/v1/prompts");
        assertThat(prompts.json().get("prompts").size()).isGreaterThan(0);

        Api.Response nowhere = api.get("/mcp/no-such-slug/v1/tools");
        assertThat(nowhere.status()).isEqualTo(404);
        assertThat(nowhere.json().at("/error/code").asText()).isEqualTo("NOT_FOUND");
        Api.Response anonymous = Api.anonymous(port).get("/mcp/" + SLUG + "/v1/tools");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).contains("resource_metadata=");
    }
}
