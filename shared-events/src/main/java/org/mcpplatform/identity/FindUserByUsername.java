package org.mcpplatform.identity;

/** Answers a {@link UserView}, or null. Usernames compare case-insensitively. */
public record FindUserByUsername(String username) {
}
