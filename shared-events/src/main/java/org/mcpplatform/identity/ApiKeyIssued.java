package org.mcpplatform.identity;

import org.axonframework.serialization.Revision;

import java.time.Instant;

@Revision("1")
public record ApiKeyIssued(String userId, String keyId, String name, String prefix, Instant expiresAt)
        implements UserEvent {
}
