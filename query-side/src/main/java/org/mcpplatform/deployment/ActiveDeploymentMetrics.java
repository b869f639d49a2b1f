package org.mcpplatform.deployment;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.mcpplatform.metrics.PeriodicReading;

import java.time.Duration;

/**
 * {@code active_deployments}: the deployments that are starting or running, from the read model, read at most once
 * per {@code mcp.metrics.gauge-refresh}. Every node reads the same database: aggregate over nodes with max, not sum.
 */
public class ActiveDeploymentMetrics implements MeterBinder {

    private final PeriodicReading<Long> active;

    public ActiveDeploymentMetrics(DeploymentReadRepository repository, Duration refresh) {
        this.active = new PeriodicReading<>(refresh, repository::countActive, "the active deployments");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("active_deployments", this, ActiveDeploymentMetrics::count)
             .description("MCP deployments that are starting or running")
             .register(registry);
    }

    /** NaN while the database cannot be read: no value rather than a wrong one. */
    private double count() {
        return active.get().map(Long::doubleValue).orElse(Double.NaN);
    }
}
