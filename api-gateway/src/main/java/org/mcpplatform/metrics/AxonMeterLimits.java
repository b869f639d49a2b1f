package org.mcpplatform.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import org.axonframework.micrometer.TagsUtil;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.stream.StreamSupport;

/**
 * Bounds what Axon's Micrometer monitors ({@code axon.metrics.micrometer.dimensional}) put on /metrics. Tagged by
 * payload type, they create meters per command, query and event class, and for event processors per processor and
 * event class:
 * <ul>
 *   <li>event processors are measured per processor only: every processor sees every event class (those it has no
 *       handler for as "ignored"), so processor x class would grow with both;</li>
 *   <li>no client-side percentiles: Axon asks for six per timer, each kept in a sliding window, and they cannot be
 *       combined across nodes; application.yml gives the timers histogram buckets instead;</li>
 *   <li>no timers of ignored messages (a processor skipping an event class costs nothing worth a latency);</li>
 *   <li>no event-processor capacity gauge: Axon keeps it per event class, which cannot be merged into one per
 *       processor (mcp_processor_lag_events and eventProcessor.latency tell whether a processor keeps up).</li>
 * </ul>
 * Commands and queries keep their payloadType tag: a fixed set of classes of shared-events.
 */
@Component
public class AxonMeterLimits implements MeterFilter {

    private static final List<String> AXON_COMPONENTS =
            List.of("commandBus.", "queryBus.", "queryUpdateEmitter.", "eventStore.", "eventProcessor.");
    private static final String EVENT_PROCESSOR = "eventProcessor.";

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith(EVENT_PROCESSOR) || id.getTag(TagsUtil.PAYLOAD_TYPE_TAG) == null) {
            return id;
        }
        List<Tag> kept = StreamSupport.stream(id.getTagsAsIterable().spliterator(), false)
                                      .filter(tag -> !tag.getKey().equals(TagsUtil.PAYLOAD_TYPE_TAG))
                                      .toList();
        return id.replaceTags(kept);
    }

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        if (!isAxon(id)) {
            return MeterFilterReply.NEUTRAL;
        }
        String name = id.getName();
        if (name.endsWith(".ignoredTimer") || name.equals(EVENT_PROCESSOR + "capacity")) {
            return MeterFilterReply.DENY;
        }
        return MeterFilterReply.NEUTRAL;
    }

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!isAxon(id) || id.getType() != Meter.Type.TIMER) {
            return config;
        }
        return DistributionStatisticConfig.builder().percentiles().build().merge(config);
    }

    private static boolean isAxon(Meter.Id id) {
        return AXON_COMPONENTS.stream().anyMatch(id.getName()::startsWith);
    }
}
