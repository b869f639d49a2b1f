package org.mcpplatform.identity;

/** Answers an {@link ApiKeyView}, or null. */
public record FindApiKey(String keyId) {
}
