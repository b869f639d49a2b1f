package org.mcpplatform.logging;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.mcpplatform.security.PlatformUser;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.core.annotation.Order;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Puts the authenticated user's id into the logging context. Ordered right after Spring Security's filter chain, the
 * first point where the caller is known; the id is also kept on the request for the access log, which is written
 * after this filter has left.
 */
@Component
@Order(SecurityProperties.DEFAULT_FILTER_ORDER + 1)
public class UserIds extends OncePerRequestFilter {

    public static final String MDC_KEY = "user_id";
    private static final String ATTRIBUTE = UserIds.class.getName();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !(authentication.getPrincipal() instanceof PlatformUser user)) {
            chain.doFilter(request, response);
            return;
        }
        request.setAttribute(ATTRIBUTE, user.id());
        MDC.put(MDC_KEY, user.id());
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    /** The id of the user the request was authenticated as, or null. */
    public static String of(HttpServletRequest request) {
        Object id = request.getAttribute(ATTRIBUTE);
        return id == null ? null : id.toString();
    }
}
