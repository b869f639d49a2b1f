package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A tool as clients read it. {@code revision} counts the tool's events (1 after registration) and is the ETag;
 * {@code version} is the tool's own semantic version.
 */
public record ToolView(String id,
                       String name,
                       String slug,
                       String description,
                       String version,
                       JsonNode config,
                       String authorId,
                       ToolStatus status,
                       Instant createdAt,
                       Instant updatedAt,
                       Instant deletedAt,
                       long revision) {

    public boolean deleted() {
        return deletedAt != null;
    }
}
