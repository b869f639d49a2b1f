package org.mcpplatform.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformTest;
import org.mcpplatform.usage.UsageRecord;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The revisions around the session-based core, over raw HTTP against a real server-everything: the stateless
 * revision 2026-07-28 (no initialize, no session, headers mirroring the body) and the JSON-RPC batches of 2025-03-26.
 * Same context configuration as {@link McpGatewayTest}, so the same Spring context and upstream serve both.
 */
@PlatformTest
@Import(TestUpstreams.class)
class McpProtocolRevisionsTest {

    static final String SLUG = McpGatewayTest.SLUG;
    static final String STATELESS = "2026-07-28";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @Autowired
    TestUpstreams.Registry upstreams;

    @Autowired
    TestUpstreams.RecordedUsage usage;

    String admin;

    @BeforeEach
    void deploy() throws Exception {
        upstreams.everything(SLUG);
        admin = new Api(port).adminToken();
    }

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

    HttpRequest.Builder request(String method, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp/" + SLUG))
                                                 .timeout(Duration.ofSeconds(60))
                                                 .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                                         : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request;
    }

    Reply send(String method, String body, String... headers) throws Exception {
        HttpResponse<String> response = HTTP.send(request(method, body, headers).build(),
                                                  HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response);
    }

    /** A POST with the transport's fixed headers and the admin's token, plus {@code headers}. */
    Reply post(String body, String... headers) throws Exception {
        List<String> all = new ArrayList<>(List.of("Content-Type", "application/json",
                                                   "Accept", McpGatewayTest.BOTH, "Authorization", "Bearer " + admin));
        all.addAll(List.of(headers));
        return send("POST", body, all.toArray(String[]::new));
    }

    static String meta(String version) {
        return "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"" + version + "\","
                + "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"raw\",\"version\":\"1\"},"
                + "\"io.modelcontextprotocol/clientCapabilities\":{}}";
    }

    static String statelessEcho(Object id, String message) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
                + "\"arguments\":{\"message\":\"" + message + "\"}," + meta(STATELESS) + "}}";
    }

    static String[] statelessHeaders(String method, String name) {
        return name == null ? new String[]{"MCP-Protocol-Version", STATELESS, "Mcp-Method", method}
                : new String[]{"MCP-Protocol-Version", STATELESS, "Mcp-Method", method, "Mcp-Name", name};
    }

    // ---- 2026-07-28

    @Test
    void statelessDiscoverIsAnsweredFromTheUpstreamsInitializeResult() throws Exception {
        Reply discover = post("{\"jsonrpc\":\"2.0\",\"id\":\"d-1\",\"method\":\"server/discover\",\"params\":{"
                                      + meta(STATELESS) + "}}", statelessHeaders("server/discover", null));
        assertThat(discover.status()).as(discover.raw().body()).isEqualTo(200);
        assertThat(discover.header("Mcp-Session-Id")).isNull();
        JsonNode result = discover.json().get("result");
        assertThat(discover.json().get("id").asText()).isEqualTo("d-1");
        assertThat(result.get("resultType").asText()).isEqualTo("complete");
        List<String> versions = new ArrayList<>();
        result.get("supportedVersions").forEach(v -> versions.add(v.asText()));
        assertThat(versions).startsWith(STATELESS).contains("2025-11-25", "2025-06-18", "2025-03-26");
        assertThat(result.at("/capabilities/tools").isObject()).isTrue();
        assertThat(result.at("/capabilities/tools/listChanged").isMissingNode())
                .as("no subscriptions/listen here, so no list_changed promise").isTrue();
        assertThat(result.at("/_meta/io.modelcontextprotocol~1serverInfo/name").asText())
                .isEqualTo("mcp-servers/everything");
        assertThat(result.get("ttlMs").isNumber()).isTrue();
        assertThat(result.get("cacheScope").asText()).isIn("public", "private");
    }

    @Test
    void statelessToolsCallIsRelayedWithoutSessionOrInitialize() throws Exception {
        int before = usage.records.size();
        Reply echo = post(statelessEcho(11, "stateless"), statelessHeaders("tools/call", "echo"));
        assertThat(echo.status()).as(echo.raw().body()).isEqualTo(200);
        assertThat(echo.json().get("id").asInt()).isEqualTo(11);
        assertThat(echo.json().at("/result/content/0/text").asText()).isEqualTo("Echo: stateless");
        assertThat(echo.json().at("/result/resultType").asText()).isEqualTo("complete");
        assertThat(echo.header("Mcp-Session-Id")).isNull();

        // an old client's session id is ignored, never echoed
        Reply withSession = post(statelessEcho("\"x\"", "again"), "MCP-Protocol-Version", STATELESS,
                                 "Mcp-Method", "tools/call", "Mcp-Name", "echo", "Mcp-Session-Id", "stale-session");
        assertThat(withSession.status()).isEqualTo(200);
        assertThat(withSession.json().at("/result/content/0/text").asText()).isEqualTo("Echo: again");
        assertThat(withSession.header("Mcp-Session-Id")).isNull();

        // a name outside plain ASCII comes Base64-encoded
        Reply encoded = post(statelessEcho(12, "b64"), statelessHeaders(
                "tools/call", "=?base64?" + Base64.getEncoder().encodeToString("echo".getBytes()) + "?="));
        assertThat(encoded.status()).as(encoded.raw().body()).isEqualTo(200);

        List<UsageRecord> recorded = usage.records.subList(before, usage.records.size());
        assertThat(recorded).anySatisfy(record -> {
            assertThat(record.method()).isEqualTo("tools/call");
            assertThat(record.toolName()).isEqualTo("echo");
            assertThat(record.status()).isEqualTo("ok");
            assertThat(record.userId()).isNotBlank();
        });
    }

    @Test
    void statelessProgressStreamsAndClosingTheStreamCancelsTheRequest() throws Exception {
        String longRun = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"trigger-long-running-operation\",\"arguments\":{\"duration\":%d,\"steps\":%d},"
                + "\"_meta\":{\"progressToken\":\"p-%d\"," + meta(STATELESS).substring(9) + "}}";
        Reply streamed = post(longRun.formatted(1, 2, 1),
                              statelessHeaders("tools/call", "trigger-long-running-operation"));
        assertThat(streamed.status()).isEqualTo(200);
        assertThat(streamed.header("Content-Type")).startsWith("text/event-stream");
        List<String> data = streamed.raw().body().lines().filter(l -> l.startsWith("data: ")).toList();
        assertThat(data).hasSize(3);
        assertThat(data.get(0)).contains("notifications/progress").contains("\"progressToken\":\"p-1\"");
        assertThat(data.get(2)).contains("\"id\":5").contains("Long running operation completed")
                               .contains("\"resultType\":\"complete\"");

        // 20 s of work: the client reads the first progress event and hangs up
        int before = usage.records.size();
        long started = System.nanoTime();
        HttpRequest cancelled = request("POST", longRun.formatted(20, 20, 2), "Content-Type", "application/json",
                                        "Accept", McpGatewayTest.BOTH, "Authorization", "Bearer " + admin,
                                        "MCP-Protocol-Version", STATELESS,
                                        "Mcp-Method", "tools/call", "Mcp-Name", "trigger-long-running-operation")
                .build();
        HttpResponse<java.io.InputStream> open = HTTP.send(cancelled, HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader events = new BufferedReader(new InputStreamReader(open.body(), StandardCharsets.UTF_8));
        String line;
        while ((line = events.readLine()) != null && !line.startsWith("data: ")) {
            Thread.onSpinWait();
        }
        assertThat(line).contains("notifications/progress");
        open.body().close();
        // the gateway notices at its next write (the next progress event), detaches the request and the upstream
        // answers it as cancelled: recorded long before the 20 s are over
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
        while (usage.records.subList(before, usage.records.size()).stream()
                            .noneMatch(r -> "trigger-long-running-operation".equals(r.toolName()))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        List<UsageRecord> recorded = usage.records.subList(before, usage.records.size()).stream()
                                                  .filter(r -> "trigger-long-running-operation".equals(r.toolName()))
                                                  .toList();
        assertThat(recorded).hasSize(1);
        assertThat(recorded.get(0).status()).isEqualTo("error");
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(15));
        // and the upstream still serves
        assertThat(post(statelessEcho(6, "after"), statelessHeaders("tools/call", "echo")).status()).isEqualTo(200);
    }

    @Test
    void statelessHeadersMustMatchTheBody() throws Exception {
        assertHeaderMismatch(post(statelessEcho(1, "x"), "MCP-Protocol-Version", STATELESS, "Mcp-Name", "echo"));
        assertHeaderMismatch(post(statelessEcho(1, "x"), statelessHeaders("tools/list", "echo")));
        assertHeaderMismatch(post(statelessEcho(1, "x"), statelessHeaders("tools/call", null)));
        assertHeaderMismatch(post(statelessEcho(1, "x"), statelessHeaders("tools/call", "get-env")));
        assertHeaderMismatch(post(statelessEcho(1, "x"), statelessHeaders("tools/call", "Echo")));
        assertHeaderMismatch(post(statelessEcho(1, "x"), statelessHeaders("tools/call", "=?base64?not base64!?=")));
        // the body's version differs from the header's, or is missing
        assertHeaderMismatch(post(statelessEcho(1, "x").replace(STATELESS, "2025-11-25"),
                                  statelessHeaders("tools/call", "echo")));
        assertHeaderMismatch(post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{}}",
                                  statelessHeaders("tools/list", null)));
        // a stateless body without the version header: not taken for a 2025-03-26 request
        assertHeaderMismatch(post(statelessEcho(1, "x"), "Mcp-Method", "tools/call", "Mcp-Name", "echo"));

        Reply unsupported = post(statelessEcho(1, "x").replace(STATELESS, "2099-01-01"),
                                 "MCP-Protocol-Version", "2099-01-01", "Mcp-Method", "tools/call", "Mcp-Name", "echo");
        assertThat(unsupported.status()).isEqualTo(400);
        assertThat(unsupported.json().at("/error/code").asInt()).isEqualTo(-32022);
        assertThat(unsupported.json().at("/error/data/requested").asText()).isEqualTo("2099-01-01");
        assertThat(unsupported.json().at("/error/data/supported/0").asText()).isEqualTo(STATELESS);

        Reply unknownMethod = post("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"no/such\",\"params\":{"
                                           + meta(STATELESS) + "}}", statelessHeaders("no/such", null));
        assertThat(unknownMethod.status()).isEqualTo(404);
        assertThat(unknownMethod.json().at("/error/code").asInt()).isEqualTo(-32601);
        Reply batch = post("[" + statelessEcho(1, "x") + "]", statelessHeaders("tools/call", "echo"));
        assertThat(batch.status()).isEqualTo(400);
    }

    private static void assertHeaderMismatch(Reply reply) {
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(400);
        assertThat(reply.json().at("/error/code").asInt()).as(reply.raw().body()).isEqualTo(-32020);
    }

    @Test
    void statelessGetAndDeleteAreNotAllowed() throws Exception {
        Reply get = send("GET", null, "Accept", "text/event-stream", "Authorization", "Bearer " + admin,
                         "MCP-Protocol-Version", STATELESS);
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.header("Allow")).isEqualTo("POST");
        Reply delete = send("DELETE", null, "Authorization", "Bearer " + admin, "MCP-Protocol-Version", STATELESS);
        assertThat(delete.status()).isEqualTo(405);
        Reply foreign = send("GET", null, "Accept", "text/event-stream", "Authorization", "Bearer " + admin,
                             "MCP-Protocol-Version", STATELESS, "Origin", "http://evil.example");
        assertThat(foreign.status()).as("the Origin check comes first").isEqualTo(403);
    }

    // ---- 2025-03-26 batches

    String open(String version) throws Exception {
        Reply init = post(McpGatewayTest.initialize(version));
        assertThat(init.status()).as(init.raw().body()).isEqualTo(200);
        assertThat(init.json().at("/result/protocolVersion").asText()).isEqualTo(version);
        return init.header("Mcp-Session-Id");
    }

    @Test
    void batchesOf2025_03_26AreAnsweredWithAnArrayOfResponses() throws Exception {
        String session = open("2025-03-26");
        String notification = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
                + "\"params\":{\"requestId\":\"nothing-in-flight\"}}";
        String body = "[" + McpGatewayTest.echo(1, "first") + "," + notification + ","
                + McpGatewayTest.echo("\"two\"", "second") + "]";
        Reply batch = post(body, "Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-03-26");
        assertThat(batch.status()).as(batch.raw().body()).isEqualTo(200);
        JsonNode answers = batch.json();
        assertThat(answers.isArray()).isTrue();
        assertThat(answers).hasSize(2);
        assertThat(answers.get(0).get("id").asInt()).isEqualTo(1);
        assertThat(answers.get(0).at("/result/content/0/text").asText()).isEqualTo("Echo: first");
        assertThat(answers.get(1).get("id").asText()).isEqualTo("two");
        assertThat(answers.get(1).at("/result/content/0/text").asText()).isEqualTo("Echo: second");

        // without the header the session's negotiated revision counts, which here is 2025-03-26
        Reply unversioned = post("[" + McpGatewayTest.echo(3, "third") + "]", "Mcp-Session-Id", session);
        assertThat(unversioned.status()).isEqualTo(200);
        assertThat(unversioned.json().get(0).at("/result/content/0/text").asText()).isEqualTo("Echo: third");

        Reply onlyNotifications = post("[" + notification + "]", "Mcp-Session-Id", session);
        assertThat(onlyNotifications.status()).isEqualTo(202);
        assertThat(onlyNotifications.raw().body()).isEmpty();

        Reply mixed = post("[42," + McpGatewayTest.echo(4, "fourth") + "]", "Mcp-Session-Id", session);
        assertThat(mixed.status()).isEqualTo(200);
        assertThat(mixed.json().get(0).at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(mixed.json().get(1).at("/result/content/0/text").asText()).isEqualTo("Echo: fourth");

        Reply empty = post("[]", "Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-03-26");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().at("/error/code").asInt()).isEqualTo(-32600);
    }

    @Test
    void laterRevisionsRejectBatches() throws Exception {
        String session = open("2025-06-18");
        Reply batch = post("[" + McpGatewayTest.echo(1, "x") + "," + McpGatewayTest.echo(2, "y") + "]",
                           "Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-06-18");
        assertThat(batch.status()).isEqualTo(400);
        assertThat(batch.json().at("/error/code").asInt()).isEqualTo(-32600);
        Reply unversioned = post("[" + McpGatewayTest.echo(1, "x") + "]", "Mcp-Session-Id", session);
        assertThat(unversioned.status()).as("the session negotiated 2025-06-18").isEqualTo(400);
        // single messages are unaffected
        Reply single = post(McpGatewayTest.echo(1, "single"), "Mcp-Session-Id", session,
                            "MCP-Protocol-Version", "2025-06-18");
        assertThat(single.json().at("/result/content/0/text").asText()).isEqualTo("Echo: single");
    }

    // ---- 2025-06-18 / 2025-11-25 resumability

    @Test
    void aDroppedRequestStreamIsResumedWithLastEventId() throws Exception {
        String session = open("2025-06-18");
        String longRun = "{\"jsonrpc\":\"2.0\",\"id\":21,\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"trigger-long-running-operation\",\"arguments\":{\"duration\":2,\"steps\":4},"
                + "\"_meta\":{\"progressToken\":\"resume\"}}}";
        HttpResponse<java.io.InputStream> dropped = HTTP.send(
                request("POST", longRun, "Content-Type", "application/json", "Accept", McpGatewayTest.BOTH,
                        "Authorization", "Bearer " + admin, "Mcp-Session-Id", session,
                        "MCP-Protocol-Version", "2025-06-18").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader events = new BufferedReader(new InputStreamReader(dropped.body(), StandardCharsets.UTF_8));
        String firstId = null;
        String line;
        while ((line = events.readLine()) != null && !line.startsWith("data: ")) {
            if (line.startsWith("id: ")) {
                firstId = line.substring(4);
            }
        }
        assertThat(line).contains("notifications/progress");
        assertThat(firstId).isNotNull();
        dropped.body().close(); // a disconnect, not a cancel: the request runs on

        // resumed while the request still runs: the rest of the stream, then the response, then the end
        Reply resumed = send("GET", null, "Accept", "text/event-stream", "Authorization", "Bearer " + admin,
                             "Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-06-18",
                             "Last-Event-ID", firstId);
        assertThat(resumed.status()).isEqualTo(200);
        List<String> ids = resumed.raw().body().lines().filter(l -> l.startsWith("id: "))
                                  .map(l -> l.substring(4)).toList();
        List<String> data = resumed.raw().body().lines().filter(l -> l.startsWith("data: ")).toList();
        String stream = firstId.substring(0, firstId.lastIndexOf('-'));
        assertThat(ids).hasSize(4).doesNotContain(firstId).allSatisfy(id -> assertThat(id).startsWith(stream + "-"));
        assertThat(data.subList(0, 3)).allSatisfy(d -> assertThat(d).contains("notifications/progress"));
        assertThat(data.get(3)).contains("\"id\":21").contains("Long running operation completed");

        // resumed again after the end: replayed from the session's buffer
        Reply replayed = send("GET", null, "Accept", "text/event-stream", "Authorization", "Bearer " + admin,
                              "Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-06-18",
                              "Last-Event-ID", ids.get(1));
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.raw().body().lines().filter(l -> l.startsWith("id: ")).map(l -> l.substring(4)))
                .containsExactly(ids.get(2), ids.get(3));
    }
}
