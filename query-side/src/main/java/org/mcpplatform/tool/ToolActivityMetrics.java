package org.mcpplatform.tool;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;

/**
 * Counts tool changes as they happen ({@code mcp_tool_changes_total{change}}). Rebuilding the tool projection replays
 * every past event; counting them again would report a burst of changes that did not happen, so this handler sits
 * replays out.
 */
@ProcessingGroup(ToolProjection.PROCESSING_GROUP)
public class ToolActivityMetrics {

    private final MeterRegistry meters;

    public ToolActivityMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    @EventHandler
    @DisallowReplay
    void on(ToolEvent event) {
        Counter.builder("mcp_tool_changes_total")
               .description("Changes of MCP tools, by kind")
               .tag("change", event.changeType().value())
               .register(meters)
               .increment();
    }
}
