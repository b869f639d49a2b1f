package org.mcpplatform.identity;

import org.axonframework.serialization.Revision;

@Revision("1")
public record UserDeactivated(String userId) implements UserEvent {
}
