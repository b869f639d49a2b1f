package org.mcpplatform.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformTest;
import org.mcpplatform.support.Tools;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.support.Tools.registration;
import static org.mcpplatform.support.Tools.uniqueSlug;

/**
 * GET /metrics against the whole platform: open to anyone, in Prometheus' text format, carrying the HTTP, Axon,
 * processor-lag and business metrics that deploy/grafana's dashboard charts.
 */
@PlatformTest
class MetricsApiTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventProcessingConfiguration processing;

    Api admin;

    @BeforeEach
    void connect() {
        admin = new Api(port);
    }

    private Scrape scrape() {
        Api.Response response = Api.anonymous(port).get("/metrics");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return Scrape.of(response.text());
    }

    /** Scrapes until the scrape satisfies {@code done}; fails with the last scrape's relevant lines otherwise. */
    private Scrape awaitScrape(Predicate<Scrape> done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Scrape last = scrape();
        while (!done.test(last)) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(200);
            last = scrape();
        }
        return last;
    }

    private String registerTool() {
        Api.Response created = admin.post("/api/v1/mcps", registration(uniqueSlug("metrics")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    @Test
    void everyMetricTheDashboardAndTheRecordingRulesQueryIsServed() throws InterruptedException {
        // traffic that creates the meters Axon and Spring create on first use
        String id = registerTool();
        assertThat(admin.get("/api/v1/mcps/" + id).status()).isEqualTo(200);
        assertThat(admin.patch("/api/v1/mcps/" + id, "{\"name\": 1}").status()).isEqualTo(422);

        Set<String> queried = new TreeSet<>();
        MonitoringFiles.dashboardExpressions().forEach(expr -> queried.addAll(MonitoringFiles.selectedMetrics(expr)));
        MonitoringFiles.recordingRules().forEach(
                rule -> queried.addAll(MonitoringFiles.selectedMetrics(rule.get("expr").toString())));
        MonitoringFiles.recordingRules().forEach(rule -> queried.remove(rule.get("record").toString()));

        Scrape scrape = awaitScrape(s -> s.names().containsAll(queried), "/metrics serves " + queried);
        assertThat(scrape.names()).containsAll(queried);
    }

    @Test
    void anyoneScrapesMetricsInThePrometheusTextFormat() {
        Api.Response response = Api.anonymous(port).get("/metrics");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/plain");
        assertThat(response.text()).contains("# TYPE http_server_requests_seconds histogram");
    }

    @Test
    void httpRequestsAreCountedAndTimedByRouteTemplateAndStatusNeverByRawPath() {
        String id = registerTool();
        String unknown = UUID.randomUUID().toString();
        assertThat(admin.get("/api/v1/mcps/" + id).status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/mcps/" + id).status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/mcps/" + unknown).status()).isEqualTo(404);

        Scrape scrape = scrape();

        String route = "/api/v1/mcps/{id}";
        assertThat(scrape.value("http_server_requests_seconds_count",
                                "uri", route, "method", "GET", "status", "200")).isGreaterThanOrEqualTo(2);
        assertThat(scrape.value("http_server_requests_seconds_count",
                                "uri", route, "method", "GET", "status", "404")).isGreaterThanOrEqualTo(1);
        assertThat(scrape.value("http_server_requests_seconds_count",
                                "uri", "/api/v1/mcps", "method", "POST", "status", "201")).isGreaterThanOrEqualTo(1);
        // a latency histogram per route and status: Micrometer's percentile buckets plus the objectives'
        List<Scrape.Sample> buckets = scrape.samples("http_server_requests_seconds_bucket",
                                                     "uri", route, "method", "GET", "status", "200");
        assertThat(buckets).hasSizeGreaterThan(20);
        assertThat(buckets).extracting(bucket -> bucket.labels().get("le")).contains("0.1", "0.25", "1.0", "+Inf");
        assertThat(scrape.value("http_server_requests_seconds_bucket",
                                "uri", route, "method", "GET", "status", "200", "le", "+Inf"))
                .isEqualTo(scrape.value("http_server_requests_seconds_count",
                                        "uri", route, "method", "GET", "status", "200"));
        // ids never become label values
        assertThat(scrape.all()).noneMatch(sample -> sample.labels().values().stream()
                                                           .anyMatch(value -> value.contains(id)
                                                                   || value.contains(unknown)));
    }

    @Test
    void commandQueryAndEventHandlerLatenciesAreHistogramsByPayloadTypeAndProcessor() throws InterruptedException {
        String id = registerTool();
        assertThat(admin.get("/api/v1/mcps/" + id).status()).isEqualTo(200);

        Scrape scrape = awaitScrape(s -> !s.samples("eventProcessor_successTimer_seconds_count",
                                                    "processorName", "tool-projection").isEmpty(),
                                    "the tool projection's handling time is measured");

        assertThat(scrape.value("commandBus_allTimer_seconds_count", "payloadType", "RegisterTool"))
                .isGreaterThanOrEqualTo(1);
        assertThat(scrape.samples("commandBus_allTimer_seconds_bucket", "payloadType", "RegisterTool"))
                .extracting(bucket -> bucket.labels().get("le"))
                .containsExactly("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0",
                                 "+Inf");
        assertThat(scrape.value("queryBus_allTimer_seconds_count", "payloadType", "FindToolById"))
                .isGreaterThanOrEqualTo(1);
        assertThat(scrape.samples("queryBus_allTimer_seconds_bucket", "payloadType", "FindToolById")).isNotEmpty();
        assertThat(scrape.value("eventProcessor_successTimer_seconds_count", "processorName", "tool-projection"))
                .isGreaterThanOrEqualTo(1);
        assertThat(scrape.samples("eventProcessor_successTimer_seconds_bucket", "processorName", "tool-projection"))
                .isNotEmpty();

        // bounded: event processors by processor only, no client-side quantiles, no timers of ignored messages
        List<Scrape.Sample> axon = scrape.all().stream()
                                         .filter(sample -> sample.name().matches(
                                                 "(commandBus|queryBus|queryUpdateEmitter|eventStore|eventProcessor)_.*"))
                                         .toList();
        assertThat(axon).isNotEmpty();
        assertThat(axon).noneMatch(sample -> sample.labels().containsKey("quantile"));
        assertThat(axon).noneMatch(sample -> sample.name().contains("ignoredTimer"));
        assertThat(axon).filteredOn(sample -> sample.name().startsWith("eventProcessor_"))
                        .isNotEmpty()
                        .allMatch(sample -> sample.labels().containsKey("processorName")
                                && !sample.labels().containsKey("payloadType"));
    }

    @Test
    void everyStreamingProcessorHasALagGaugeThatFallsToZeroOnceItCaughtUp() throws InterruptedException {
        registerTool();
        List<String> streaming = processing.eventProcessors().entrySet().stream()
                                           .filter(entry -> entry.getValue() instanceof StreamingEventProcessor)
                                           .map(Map.Entry::getKey)
                                           .sorted()
                                           .toList();
        assertThat(streaming).contains("tool-projection", "deployment-projection", "user-projection");

        awaitScrape(scrape -> streaming.stream().allMatch(
                            name -> scrape.samples("mcp_processor_lag_events", "processor", name).size() == 1
                                    && scrape.value("mcp_processor_lag_events", "processor", name) == 0),
                    "every processor's lag gauge reaches 0");

        assertThat(scrape().samples("mcp_processor_lag_events"))
                .extracting(sample -> sample.labels().get("processor"))
                .containsExactlyInAnyOrderElementsOf(streaming);
    }

    @Test
    void mcpToolsCountsTheRegistryByStatus() throws InterruptedException {
        String id = registerTool();
        awaitScrape(scrape -> gaugeMatchesTheReadModel(scrape, "draft"), "mcp_tools{status=draft} shows the table");
        assertThat(toolsInTable("draft")).isPositive();

        Api.Response activated = admin.patch("/api/v1/mcps/" + id, Map.of("status", "active"));
        assertThat(activated.status()).as(activated.text()).isEqualTo(200);

        Scrape scrape = awaitScrape(s -> gaugeMatchesTheReadModel(s, "active") && gaugeMatchesTheReadModel(s, "draft"),
                                    "mcp_tools follows the status change");
        assertThat(scrape.value("mcp_tools", "status", "active")).isPositive();
        assertThat(scrape.samples("mcp_tools")).extracting(sample -> sample.labels().get("status"))
                                               .containsExactlyInAnyOrder("draft", "active", "deprecated");
    }

    private boolean gaugeMatchesTheReadModel(Scrape scrape, String status) {
        return scrape.value("mcp_tools", "status", status) == toolsInTable(status);
    }

    private long toolsInTable(String status) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM mcp_tools WHERE deleted_at IS NULL AND status = ?",
                                   Long.class, status);
    }

    @Test
    void activeDeploymentsCountsTheStartingAndRunningDeployments() throws InterruptedException {
        // a node process that idles: the deployment stays starting (it never answers an MCP handshake)
        Api.Response created = admin.post("/api/v1/mcps", Tools.registration(
                "Idle", uniqueSlug("metrics-idle"), "1.0.0", Tools.stdioConfig("node", "-e", "setInterval(() => {}, 1000)")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        Api.Response deployed = admin.post("/api/v1/deployments", Map.of("tool_id", created.json().get("id").asText()));
        assertThat(deployed.status()).as(deployed.text()).isEqualTo(202);
        String deployment = deployed.json().get("id").asText();
        try {
            awaitScrape(scrape -> activeInTable() >= 1 && scrape.value("active_deployments") == activeInTable(),
                        "active_deployments counts the new deployment");
        } finally {
            admin.delete("/api/v1/deployments/" + deployment);
        }
        awaitScrape(scrape -> !isActive(deployment) && scrape.value("active_deployments") == activeInTable(),
                    "active_deployments leaves the stopped deployment out");
    }

    private long activeInTable() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM mcp_deployments WHERE status IN ('starting', 'running')",
                                   Long.class);
    }

    private boolean isActive(String deployment) {
        JsonNode current = admin.get("/api/v1/deployments/" + deployment).json();
        return List.of("starting", "running").contains(current.get("status").asText());
    }

    @Test
    void toolCacheLookupsAreCountedAsHitsAndMisses() {
        String id = registerTool();
        // the projection writes the tool to the cache after its commit; read-your-writes waited for that commit
        assertThat(admin.get("/api/v1/mcps/" + id).status()).isEqualTo(200);
        Scrape before = scrape();

        assertThat(admin.get("/api/v1/mcps/" + id).status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/mcps/" + UUID.randomUUID()).status()).isEqualTo(404);

        Scrape after = scrape();
        assertThat(after.value("mcp_cache_requests_total", "cache", "tool", "result", "hit"))
                .isGreaterThan(before.valueOrZero("mcp_cache_requests_total", "cache", "tool", "result", "hit"));
        assertThat(after.value("mcp_cache_requests_total", "cache", "tool", "result", "miss"))
                .isGreaterThan(before.valueOrZero("mcp_cache_requests_total", "cache", "tool", "result", "miss"));
    }
}
