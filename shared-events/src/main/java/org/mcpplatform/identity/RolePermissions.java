package org.mcpplatform.identity;

import java.util.List;
import java.util.Map;

/**
 * The seed's ROLE_PERMISSIONS, with developers also creating and deleting deployments (of their own tools): a permission is {@code resource:action}, {@code *} matching any resource or
 * action. Resources: mcps, knowledge, deployments, users; actions: create, read, update, delete.
 */
public final class RolePermissions {

    private static final Map<Role, List<String>> PERMISSIONS = Map.of(
            Role.ADMIN, List.of("*:*"),
            // the seed gives developers deployments:read; they also deploy and stop their own tools (ownership is
            // checked where the tool is known), while approving changed tool definitions stays with admins
            Role.DEVELOPER, List.of("mcps:*", "knowledge:*", "deployments:read", "deployments:create",
                                    "deployments:delete"),
            Role.VIEWER, List.of("mcps:read", "knowledge:read"));

    private RolePermissions() {
    }

    /** The permissions of a role as the seed writes them (these go into access tokens). */
    public static List<String> of(Role role) {
        return PERMISSIONS.get(role);
    }

    public static boolean allows(Role role, String resource, String action) {
        for (String granted : PERMISSIONS.get(role)) {
            int colon = granted.indexOf(':');
            String grantedResource = granted.substring(0, colon);
            String grantedAction = granted.substring(colon + 1);
            if ((grantedResource.equals("*") || grantedResource.equals(resource))
                    && (grantedAction.equals("*") || grantedAction.equals(action))) {
                return true;
            }
        }
        return false;
    }
}
