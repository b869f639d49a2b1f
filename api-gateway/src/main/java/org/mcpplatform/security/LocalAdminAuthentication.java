package org.mcpplatform.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.List;

/**
 * Until the platform has accounts, every request acts as one built-in local administrator with a stable id. Only the
 * source of the {@link PlatformUser} changes when real authentication arrives; everything downstream reads the
 * security context.
 */
public class LocalAdminAuthentication extends OncePerRequestFilter {

    /** The local administrator's id: author_id and changed_by of everything done before accounts exist. */
    public static final String LOCAL_ADMIN_ID = "00000000-0000-4000-8000-000000000001";
    public static final PlatformUser LOCAL_ADMIN = new PlatformUser(LOCAL_ADMIN_ID, "local-admin", org.mcpplatform.identity.Role.ADMIN, null, null);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var authentication = UsernamePasswordAuthenticationToken.authenticated(
                LOCAL_ADMIN, null, List.of(new SimpleGrantedAuthority("ROLE_ADMIN")));
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
