package org.mcpplatform.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's Prometheus and Grafana files (deploy/), read as Prometheus and Grafana would. */
final class MonitoringFiles {

    /** Tests run in the module's directory; every module is a direct child of the repository's root. */
    static final Path ROOT = Path.of("..");
    static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
    static final Path PROMETHEUS = ROOT.resolve("deploy/prometheus/prometheus.yml");
    static final Path RULES = ROOT.resolve("deploy/prometheus/rules.yml");
    static final Path DASHBOARD = ROOT.resolve("deploy/grafana/dashboards/mcp-platform.json");
    static final Path DATASOURCES = ROOT.resolve("deploy/grafana/provisioning/datasources/prometheus.yml");
    static final Path DASHBOARD_PROVIDERS = ROOT.resolve("deploy/grafana/provisioning/dashboards/mcp-platform.yml");

    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
                                                       "on", "ignoring", "group_left", "group_right");

    private MonitoringFiles() {
    }

    static Map<String, Object> yaml(Path file) {
        try {
            return new Yaml().load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every PromQL expression of the dashboard's panels. */
    static List<String> dashboardExpressions() {
        List<String> expressions = new ArrayList<>();
        json(DASHBOARD).get("panels").forEach(panel -> {
            if (panel.has("targets")) {
                panel.get("targets").forEach(target -> expressions.add(target.get("expr").asText()));
            }
        });
        return expressions;
    }

    /** The recording rules: record name, and its expression. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> recordingRules() {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) yaml(RULES).get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }

    /**
     * The metric names a PromQL expression selects: what is left of its identifiers once strings, label matchers,
     * ranges, grouping lists, function calls and keywords are taken out.
     */
    static Set<String> selectedMetrics(String expression) {
        String bare = expression.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                                .replaceAll("\\{[^}]*}", " ")
                                .replaceAll("\\[[^\\]]*]", " ")
                                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            String name = identifier.group();
            boolean call = bare.substring(identifier.end()).matches("(?s)\\s*\\(.*");
            boolean partOfNumber = identifier.start() > 0
                    && Character.isDigit(bare.charAt(identifier.start() - 1));
            if (!call && !partOfNumber && !KEYWORDS.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
