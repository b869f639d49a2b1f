package org.mcpplatform.gateway;

import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformTest;
import org.mcpplatform.usage.UsageRecord;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/** Routing by slug, against several real server-everything children told apart by their environment. */
@PlatformTest
@Import(TestUpstreams.class)
class McpGatewayRoutingPropertiesTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> SLUGS = List.of("route-a", "route-b", "route-c");

    @LocalServerPort
    int port;

    @Autowired
    TestUpstreams.Registry upstreams;

    @Autowired
    TestUpstreams.RecordedUsage usage;

    private final Map<String, String> sessions = new HashMap<>();

    // Property 18: MCP Gateway Routing — for any set of deployed slugs and any request to /mcp/{slug} (MCP or the
    // REST face), the request is served by that slug's upstream and no other
    @Test
    void everyRequestIsServedByTheUpstreamOfItsSlug() throws Exception {
        for (String slug : SLUGS) {
            upstreams.everything(slug);
        }
        String admin = new Api(port).adminToken();
        qt().withExamples(25)
            .forAll(lists().of(integers().between(0, SLUGS.size() - 1)).ofSizeBetween(1, 4),
                    integers().between(0, 1))
            .checkAssert((picked, viaRest) -> picked.forEach(index -> {
                String slug = SLUGS.get(index);
                String env = viaRest == 1 ? viaRestFace(admin, slug) : viaMcp(admin, slug);
                assertThat(env).containsPattern("\"MARKER\":\\s*\"marker-" + slug + "\"");
                SLUGS.stream().filter(other -> !other.equals(slug))
                     .forEach(other -> assertThat(env).doesNotContain("marker-" + other));
                UsageRecord last = usage.records.get(usage.records.size() - 1);
                assertThat(last.deploymentId()).isEqualTo("dep-" + slug);
                assertThat(last.method()).isEqualTo("tools/call");
                assertThat(last.toolName()).isEqualTo("get-env");
                assertThat(last.status()).isEqualTo("ok");
                assertThat(last.responseTimeMicros()).isPositive();
            }));
    }

    private String viaRestFace(String admin, String slug) {
        Api.Response call = new Api(port).post("/mcp/" + slug + "/v1/tools/get-env/call", Map.of());
        assertThat(call.status()).as(call.text()).isEqualTo(200);
        return call.json().at("/content/0/text").asText();
    }

    private String viaMcp(String admin, String slug) {
        try {
            String session = sessions.get(slug);
            if (session == null) {
                HttpResponse<String> init = post(admin, slug, null, McpGatewayTest.initialize("2025-11-25"));
                session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
                sessions.put(slug, session);
            }
            HttpResponse<String> call = post(admin, slug, session, "{\"jsonrpc\":\"2.0\",\"id\":1,"
                    + "\"method\":\"tools/call\",\"params\":{\"name\":\"get-env\",\"arguments\":{}}}");
            assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
            return Api.JSON.readTree(call.body()).at("/result/content/0/text").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> post(String token, String slug, String session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp/" + slug))
                .header("Content-Type", "application/json").header("Accept", McpGatewayTest.BOTH)
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-11-25");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
