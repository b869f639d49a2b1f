package org.mcpplatform.tool;

/**
 * A page of tools that are not deleted. Every filter is optional; {@code text} matches name, slug or description.
 * {@code page} counts from 1.
 */
public record ListTools(ToolStatus status,
                        String authorId,
                        String text,
                        int page,
                        int pageSize,
                        ToolSortField sortField,
                        boolean descending) {
}
