package org.mcpplatform.identity;

/** Answers a {@link UserView}, or null. */
public record FindUserById(String userId) {
}
