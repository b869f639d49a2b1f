package org.mcpplatform.security;

import java.security.Principal;

/** The authenticated caller as the rest of the platform sees it. */
public record PlatformUser(String id, String username, String role) implements Principal {

    @Override
    public String getName() {
        return username;
    }
}
