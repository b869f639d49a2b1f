package org.mcpplatform.tool;

import java.time.Instant;

/** A tool exactly as it was at an instant, rebuilt from its events. */
public record FindToolAsOf(String toolId, Instant asOf) {
}
