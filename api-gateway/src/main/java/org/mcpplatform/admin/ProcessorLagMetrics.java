package org.mcpplatform.admin;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.mcpplatform.metrics.MetricsProperties;
import org.mcpplatform.metrics.PeriodicReading;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * {@code mcp_processor_lag_events{processor}}: how many events each streaming event processor is behind the event
 * store's head, computed as GET /api/v1/admin/processors does, from one read of the head per
 * {@code mcp.metrics.gauge-refresh} for all processors together.
 * <p>
 * A node knows the positions of the segments it claims only. On a node that claims none of a processor's segments
 * the gauge is NaN, so {@code max by (processor)} over the nodes gives the lag of the segment furthest behind.
 */
@Component
public class ProcessorLagMetrics {

    private final EventProcessingConfiguration processing;
    private final MeterRegistry registry;
    private final PeriodicReading<Map<String, Long>> lags;

    public ProcessorLagMetrics(EventProcessingConfiguration processing, EventProcessors processors,
                               MeterRegistry registry, MetricsProperties properties) {
        this.processing = processing;
        this.registry = registry;
        this.lags = new PeriodicReading<>(properties.gaugeRefresh(), processors::lags, "the event processors' lag");
    }

    /** Once Axon's processors exist (they are built while the application starts). */
    @EventListener(ApplicationReadyEvent.class)
    public void registerGauges() {
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor) {
                Gauge.builder("mcp_processor_lag_events", this, metrics -> metrics.lag(name))
                     .description("Events between the event store's head and the event processor's position")
                     .tag("processor", name)
                     .register(registry);
            }
        });
    }

    private double lag(String processor) {
        return lags.get().map(all -> all.get(processor)).map(Long::doubleValue).orElse(Double.NaN);
    }
}
