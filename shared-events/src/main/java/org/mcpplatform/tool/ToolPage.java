package org.mcpplatform.tool;

import java.util.List;

public record ToolPage(List<ToolView> items, long total, int page, int pageSize, int pages) {
}
