package org.mcpplatform.identity;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * Issue an API key to {@code userId}. {@code secretHash} (SHA-256 of the key's secret part, hex) goes to the credential
 * store only; {@code prefix} is the recognisable, non-secret start of the key shown in listings.
 */
public record IssueApiKey(@TargetAggregateIdentifier String userId,
                          String keyId,
                          String name,
                          String prefix,
                          String secretHash,
                          Instant expiresAt) {

    @Override
    public String toString() {
        return "IssueApiKey[userId=" + userId + ", keyId=" + keyId + ", name=" + name + ", prefix=" + prefix
                + ", secretHash=***, expiresAt=" + expiresAt + "]";
    }
}
