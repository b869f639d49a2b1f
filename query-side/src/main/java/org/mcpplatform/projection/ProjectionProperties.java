package org.mcpplatform.projection;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/**
 * Settings of the projections ({@code mcp.projection.*}, a section of
 * {@link org.mcpplatform.configuration.QuerySideProperties}).
 *
 * @param batchSize        events per read-model transaction: large batches make a replay fast (one commit and one
 *                         token update per batch); at the head of the stream a batch is whatever has arrived, so
 *                         latency does not suffer
 * @param rebuildBatchSize events per transaction of a rebuild beside the live read model ({@link ProjectionRebuilds}):
 *                         smaller batches leave more of the database to the live traffic and make the rebuild slower
 * @param rebuildTick      how often every node looks at the rebuilds in progress: takes part, reports progress
 *                         (about once a second is what admins watching it expect)
 */
public record ProjectionProperties(@Min(1) @Max(10_000) int batchSize,
                                   @Min(1) @Max(10_000) int rebuildBatchSize,
                                   @NotNull @DurationMin(millis = 50) @DurationMax(seconds = 10) Duration rebuildTick) {
}
