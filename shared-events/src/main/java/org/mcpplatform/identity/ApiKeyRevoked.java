package org.mcpplatform.identity;

import org.axonframework.serialization.Revision;

@Revision("1")
public record ApiKeyRevoked(String userId, String keyId) implements UserEvent {
}
