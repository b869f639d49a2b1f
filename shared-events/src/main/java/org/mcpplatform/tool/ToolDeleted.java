package org.mcpplatform.tool;

import org.axonframework.serialization.Revision;

@Revision("1")
public record ToolDeleted(String toolId) implements ToolEvent {

    @Override
    public ToolChangeType changeType() {
        return ToolChangeType.DELETE;
    }
}
