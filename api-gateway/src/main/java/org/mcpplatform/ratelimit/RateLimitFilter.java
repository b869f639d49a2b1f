package org.mcpplatform.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.mcpplatform.security.PlatformUser;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Limits requests per caller and {@link EndpointClass} (seed Property 39): the bucket
 * {@code ratelimit:user:{id}:{class}} of the authenticated principal, or {@code ratelimit:ip:{address}:{class}} for
 * anonymous callers and for the login and refresh endpoints. Every limited response carries X-RateLimit-Limit and
 * X-RateLimit-Remaining; a request over the limit is answered 429 with Retry-After and never reaches the API.
 * <p>
 * It runs after Spring Security's filter chain, inside it, so that the principal is known; requests that Spring
 * Security refuses (bad credentials) never get here, which is why failed credentials have budgets of their own
 * ({@link AuthFailureLimiter}).
 */
public class RateLimitFilter extends OncePerRequestFilter {

    private final RateLimiter limiter;
    private final RateLimitProperties properties;
    private final TooManyRequests tooManyRequests;
    private final Map<EndpointClass, Counter> refused = new EnumMap<>(EndpointClass.class);

    public RateLimitFilter(RateLimiter limiter, RateLimitProperties properties, TooManyRequests tooManyRequests,
                           MeterRegistry meters) {
        this.limiter = limiter;
        this.properties = properties;
        this.tooManyRequests = tooManyRequests;
        for (EndpointClass endpointClass : EndpointClass.values()) {
            refused.put(endpointClass, Counter.builder("mcp_rate_limited_requests_total")
                                              .description("Requests refused with 429 by the rate limit")
                                              .tag("endpoint_class", endpointClass.key())
                                              .register(meters));
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<EndpointClass> endpointClass = EndpointClass.of(request);
        if (endpointClass.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        EndpointClass limited = endpointClass.get();
        Limit limit = properties.limit(limited);
        RateLimiter.Outcome outcome = limiter.tryConsume(bucketKey(principal(request, limited), limited), limit);
        if (!outcome.allowed()) {
            refused.get(limited).increment();
            tooManyRequests.write(request, response, new RateLimitExceededException(limit.capacity(),
                                                                                    outcome.retryAfter()));
            return;
        }
        response.setHeader(TooManyRequests.LIMIT_HEADER, Long.toString(outcome.limit()));
        response.setHeader(TooManyRequests.REMAINING_HEADER, Long.toString(outcome.remaining()));
        chain.doFilter(request, response);
    }

    /** The seed's {@code ratelimit:{principal}:{endpoint}}, with the principal's kind in front of its value. */
    static String bucketKey(String principal, EndpointClass endpointClass) {
        return "ratelimit:" + principal + ":" + endpointClass.key();
    }

    private static String principal(HttpServletRequest request, EndpointClass endpointClass) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        // a token endpoint is limited by address even for a signed-in caller: refreshing is not a way around it
        if (endpointClass != EndpointClass.AUTH && authentication != null && authentication.isAuthenticated()
                && authentication.getPrincipal() instanceof PlatformUser user) {
            return "user:" + user.id();
        }
        return "ip:" + ClientAddress.of(request);
    }
}
