package org.mcpplatform.security;

import org.mcpplatform.common.ForbiddenException;
import org.mcpplatform.identity.Role;
import org.mcpplatform.identity.RolePermissions;

import java.security.Principal;

/**
 * The authenticated caller as the rest of the platform sees it.
 *
 * @param id        the user's id
 * @param username  the user's name
 * @param role      the user's current role
 * @param sessionId the login session an access token belongs to; null for API keys
 * @param apiKeyId  the API key the request was authenticated with; null for access tokens
 */
public record PlatformUser(String id, String username, Role role, String sessionId, String apiKeyId)
        implements Principal {

    @Override
    public String getName() {
        return username;
    }

    public boolean may(String resource, String action) {
        return RolePermissions.allows(role, resource, action);
    }

    /** Refuses (403) unless the user's role grants {@code resource:action}. */
    public void require(String resource, String action) {
        if (!may(resource, action)) {
            throw new ForbiddenException("Your role (" + role.value() + ") lacks the permission " + resource + ":"
                                                 + action);
        }
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
