package org.mcpplatform.identity;

import org.axonframework.serialization.Revision;

@Revision("1")
public record UserRegistered(String userId, String username, String email, Role role) implements UserEvent {
}
