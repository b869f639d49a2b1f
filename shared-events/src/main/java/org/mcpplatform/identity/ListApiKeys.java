package org.mcpplatform.identity;

/** Answers {@link ApiKeyList}: the user's keys, newest first, revoked ones included. */
public record ListApiKeys(String userId) {
}
