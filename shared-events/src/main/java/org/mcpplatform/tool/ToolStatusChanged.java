package org.mcpplatform.tool;

import org.axonframework.serialization.Revision;

@Revision("1")
public record ToolStatusChanged(String toolId, ToolStatus from, ToolStatus to) implements ToolEvent {

    @Override
    public ToolChangeType changeType() {
        return ToolChangeType.STATUS;
    }
}
