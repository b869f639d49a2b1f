package org.mcpplatform.identity;

/**
 * What authentication needs to know about an account: its password hash, role and whether it may log in.
 *
 * @param userId       the account's id
 * @param username     the username as it was registered (look-ups ignore case)
 * @param passwordHash the encoded password hash; never logged, never in an event
 * @param role         the account's current role
 * @param active       false once the account is deactivated
 */
public record UserCredential(String userId, String username, String passwordHash, Role role, boolean active) {

    @Override
    public String toString() {
        return "UserCredential[userId=" + userId + ", username=" + username + ", passwordHash=***, role=" + role
                + ", active=" + active + "]";
    }
}
