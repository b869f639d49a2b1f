package org.mcpplatform.tool;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.mcpplatform.metrics.PeriodicReading;

import java.time.Duration;
import java.util.Map;

/**
 * {@code mcp_tools{status}}: the tools in the read model by status, deleted ones left out; one gauge per status, all
 * fed by one query per {@code mcp.metrics.gauge-refresh}. The seed calls it mcp_tools_total; Prometheus' Java client
 * reserves the {@code _total} suffix for counters, so that name is a recording rule in deploy/prometheus/rules.yml.
 * Every node reads the same database: aggregate over nodes with max, not sum.
 */
public class ToolCountMetrics implements MeterBinder {

    private final PeriodicReading<Map<ToolStatus, Long>> counts;

    public ToolCountMetrics(ToolReadRepository repository, Duration refresh) {
        this.counts = new PeriodicReading<>(refresh, repository::countByStatus, "the tool counts");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (ToolStatus status : ToolStatus.values()) {
            Gauge.builder("mcp_tools", this, metrics -> metrics.count(status))
                 .description("MCP tools in the registry (not deleted), by status")
                 .tag("status", status.value())
                 .register(registry);
        }
    }

    /** NaN while the database cannot be read: no value rather than a wrong one. */
    private double count(ToolStatus status) {
        return counts.get().map(byStatus -> (double) byStatus.getOrDefault(status, 0L)).orElse(Double.NaN);
    }
}
