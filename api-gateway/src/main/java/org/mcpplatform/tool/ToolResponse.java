package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/** The seed's MCPTool, as the API returns it (snake_case on the wire). */
public record ToolResponse(String id,
                           String name,
                           String slug,
                           String description,
                           String version,
                           JsonNode config,
                           String authorId,
                           ToolStatus status,
                           Instant createdAt,
                           Instant updatedAt) {

    static ToolResponse of(ToolView view) {
        return new ToolResponse(view.id(), view.name(), view.slug(), view.description(), view.version(),
                                view.config(), view.authorId(), view.status(), view.createdAt(), view.updatedAt());
    }

    /** A page of tools: {@code {items, total, page, page_size, pages}}. */
    public record Page(List<ToolResponse> items, long total, int page, int pageSize, int pages) {

        static Page of(ToolPage page) {
            return new Page(page.items().stream().map(ToolResponse::of).toList(), page.total(), page.page(),
                            page.pageSize(), page.pages());
        }
    }
}
