package org.mcpplatform.projection;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Settings of the projections ({@code mcp.projection.*}, a section of
 * {@link org.mcpplatform.configuration.QuerySideProperties}).
 *
 * @param batchSize events per read-model transaction: large batches make a replay fast (one commit and one token
 *                  update per batch); at the head of the stream a batch is whatever has arrived, so latency does not
 *                  suffer
 */
public record ProjectionProperties(@Min(1) @Max(10_000) int batchSize) {
}
