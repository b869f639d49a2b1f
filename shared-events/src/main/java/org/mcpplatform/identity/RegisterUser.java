package org.mcpplatform.identity;

/**
 * Create an account. {@code passwordHash} is the encoded hash (never the password); it is kept in the command side's
 * credential store and never enters an event.
 */
public record RegisterUser(String userId, String username, String email, Role role, String passwordHash) {

    @Override
    public String toString() {
        return "RegisterUser[userId=" + userId + ", username=" + username + ", role=" + role + ", passwordHash=***]";
    }
}
