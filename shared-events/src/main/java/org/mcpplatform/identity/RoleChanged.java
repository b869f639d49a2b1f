package org.mcpplatform.identity;

import org.axonframework.serialization.Revision;

@Revision("1")
public record RoleChanged(String userId, Role previousRole, Role role) implements UserEvent {
}
