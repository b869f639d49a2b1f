package org.mcpplatform.tool;

import java.util.List;

public record ToolHistory(String toolId, List<ToolHistoryEntry> entries) {
}
