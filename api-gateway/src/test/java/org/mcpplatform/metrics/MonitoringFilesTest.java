package org.mcpplatform.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.metrics.MonitoringFiles.ROOT;

/**
 * docker-compose.yml's Prometheus and Grafana, and the files they are given: parsed, and consistent with each other
 * (no Docker engine here to start them). MetricsApiTest checks that the platform serves what they query.
 */
@SuppressWarnings("unchecked")
class MonitoringFilesTest {

    private final Map<String, Object> services =
            (Map<String, Object>) MonitoringFiles.yaml(MonitoringFiles.COMPOSE).get("services");

    private List<String> volumes(String service) {
        return (List<String>) ((Map<String, Object>) services.get(service)).get("volumes");
    }

    /** The container path a repository file or folder is mounted at, after checking it exists. */
    private String mountOf(String service, String source) {
        String mount = volumes(service).stream().filter(volume -> volume.startsWith(source + ":")).findFirst()
                                       .orElseThrow(() -> new AssertionError(service + " does not mount " + source));
        assertThat(ROOT.resolve(source)).as(source).exists();
        return mount.split(":")[1];
    }

    @Test
    void prometheusScrapesMetricsOfBothApiNodesAndLoadsTheRules() {
        Map<String, Object> config = MonitoringFiles.yaml(MonitoringFiles.PROMETHEUS);
        assertThat(mountOf("prometheus", "./deploy/prometheus/prometheus.yml"))
                .isEqualTo("/etc/prometheus/prometheus.yml");
        String rulesMount = mountOf("prometheus", "./deploy/prometheus/rules.yml");
        assertThat((List<String>) config.get("rule_files")).containsExactly(rulesMount);

        Map<String, Object> job = ((List<Map<String, Object>>) config.get("scrape_configs")).stream()
                .filter(scrape -> "mcp-platform".equals(scrape.get("job_name"))).findFirst().orElseThrow();
        assertThat(job.get("metrics_path")).isEqualTo("/metrics");
        List<String> targets = (List<String>) ((List<Map<String, Object>>) job.get("static_configs")).get(0)
                                                                                                   .get("targets");
        assertThat(targets).containsExactlyInAnyOrder("api1:8080", "api2:8080");
        for (String node : List.of("api1", "api2")) {
            assertThat(services).containsKey(node);
        }
        Map<String, Object> apiEnvironment = (Map<String, Object>) ((Map<String, Object>) services.get("api1"))
                .get("environment");
        assertThat(apiEnvironment.get("PORT")).isEqualTo("8080");
    }

    @Test
    void everyRecordingRuleHasANameAndAnExpression() {
        List<Map<String, Object>> rules = MonitoringFiles.recordingRules();

        assertThat(rules).isNotEmpty();
        assertThat(rules).allSatisfy(rule -> {
            assertThat(rule.get("record")).asString().matches("[a-zA-Z_:][a-zA-Z0-9_:]*");
            assertThat(rule.get("expr")).asString().isNotBlank();
        });
        assertThat(rules).extracting(rule -> rule.get("record"))
                         .contains("mcp_tools_total", "cache_hit_rate", "mcp:cache_hit_ratio:rate5m");
    }

    @Test
    void grafanaIsProvisionedWithThePrometheusDataSourceAndTheDashboard() {
        String provisioning = mountOf("grafana", "./deploy/grafana/provisioning");
        String dashboards = mountOf("grafana", "./deploy/grafana/dashboards");
        assertThat(provisioning).isEqualTo("/etc/grafana/provisioning");

        Map<String, Object> datasource = ((List<Map<String, Object>>) MonitoringFiles
                .yaml(MonitoringFiles.DATASOURCES).get("datasources")).get(0);
        assertThat(datasource.get("type")).isEqualTo("prometheus");
        assertThat(datasource.get("url")).isEqualTo("http://prometheus:9090");
        assertThat(services).containsKey("prometheus");

        Map<String, Object> provider = ((List<Map<String, Object>>) MonitoringFiles
                .yaml(MonitoringFiles.DASHBOARD_PROVIDERS).get("providers")).get(0);
        assertThat(((Map<String, Object>) provider.get("options")).get("path")).isEqualTo(dashboards);
        assertThat(Files.isRegularFile(MonitoringFiles.DASHBOARD)).isTrue();

        JsonNode dashboard = MonitoringFiles.json(MonitoringFiles.DASHBOARD);
        assertThat(dashboard.get("uid").asText()).isNotBlank();
        Set<Integer> ids = new HashSet<>();
        dashboard.get("panels").forEach(panel -> {
            String title = panel.get("title").asText();
            assertThat(ids.add(panel.get("id").asInt())).as("unique id of " + title).isTrue();
            JsonNode grid = panel.get("gridPos");
            assertThat(grid.get("x").asInt() + grid.get("w").asInt()).as(title).isLessThanOrEqualTo(24);
            if (!panel.get("type").asText().equals("row")) {
                assertThat(panel.at("/datasource/uid").asText()).as(title).isEqualTo(datasource.get("uid"));
                assertThat(panel.get("targets")).as(title).isNotEmpty();
                panel.get("targets").forEach(target -> {
                    assertThat(target.at("/datasource/uid").asText()).as(title).isEqualTo(datasource.get("uid"));
                    assertThat(MonitoringFiles.selectedMetrics(target.get("expr").asText())).as(title).isNotEmpty();
                });
            }
        });
    }

    @Test
    void theMetricsOfAnExpressionAreItsSelectorsNotItsFunctionsLabelsOrGroupings() {
        assertThat(MonitoringFiles.selectedMetrics(
                "histogram_quantile(0.95, sum by (le, uri) (rate(http_server_requests_seconds_bucket"
                        + "{instance=~\"$instance\", uri!~\"/metrics|/health\"}[$__rate_interval])))"))
                .containsExactly("http_server_requests_seconds_bucket");
        assertThat(MonitoringFiles.selectedMetrics("sum(max by (status) (mcp_tools)) / max(active_deployments) * 1e3"))
                .containsExactlyInAnyOrder("mcp_tools", "active_deployments");
        assertThat(MonitoringFiles.selectedMetrics("a_total{x=\"y\"} and on (x) b unless bool c offset 5m"))
                .containsExactlyInAnyOrder("a_total", "b", "c");
    }

    @Test
    void theDashboardChartsEveryMetricFamilyTheIssueNames() {
        Set<String> charted = new HashSet<>();
        MonitoringFiles.dashboardExpressions().forEach(expr -> charted.addAll(MonitoringFiles.selectedMetrics(expr)));

        assertThat(charted).contains("http_server_requests_seconds_count", "http_server_requests_seconds_bucket",
                                     "commandBus_allTimer_seconds_bucket", "queryBus_allTimer_seconds_bucket",
                                     "eventProcessor_successTimer_seconds_bucket", "mcp_processor_lag_events",
                                     "mcp_tools", "active_deployments", "mcp_cache_requests_total",
                                     "mcp_websocket_connections", "mcp_sse_connections");
    }
}
