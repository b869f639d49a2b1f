package org.mcpplatform.security;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import org.mcpplatform.gateway.GatewayUrls;
import org.mcpplatform.identity.AccessTokens;
import org.mcpplatform.identity.ApiKeyCredentials;
import org.mcpplatform.identity.ApiKeyUse;
import org.mcpplatform.identity.IdentityProperties;
import org.mcpplatform.identity.Passwords;
import org.mcpplatform.identity.SessionStore;
import org.mcpplatform.identity.UserCredentials;
import org.mcpplatform.ratelimit.AuthFailureLimiter;
import org.mcpplatform.ratelimit.TooManyRequests;
import org.mcpplatform.web.ErrorResponses;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import java.time.Clock;
import java.util.Map;

/**
 * Stateless API security: no server sessions, no CSRF (no cookies are used), every endpoint authenticated except
 * health, metrics, the API docs, the public keys and the two endpoints that issue tokens.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final RequestMatcher PUBLIC = new OrRequestMatcher(
            AntPathRequestMatcher.antMatcher("/health"),
            AntPathRequestMatcher.antMatcher("/metrics"),
            AntPathRequestMatcher.antMatcher("/api/docs"),
            AntPathRequestMatcher.antMatcher("/api/docs/**"),
            AntPathRequestMatcher.antMatcher("/swagger-ui/**"),
            AntPathRequestMatcher.antMatcher("/.well-known/**"),
            AntPathRequestMatcher.antMatcher(HttpMethod.POST, "/api/v1/auth/login"),
            AntPathRequestMatcher.antMatcher(HttpMethod.POST, "/api/v1/auth/refresh"),
            AntPathRequestMatcher.antMatcher("/error"));

    static boolean isPublic(HttpServletRequest request) {
        return PUBLIC.matches(request);
    }

    @Bean
    public SecurityFilterChain apiSecurity(HttpSecurity http, ErrorResponses errors,
                                           TokenAuthentication tokenAuthentication, GatewayUrls gatewayUrls)
            throws Exception {
        http.csrf(csrf -> csrf.disable())
            .cors(Customizer.withDefaults())
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .httpBasic(basic -> basic.disable())
            .formLogin(form -> form.disable())
            .logout(logout -> logout.disable())
            .requestCache(cache -> cache.disable())
            .addFilterBefore(tokenAuthentication, AnonymousAuthenticationFilter.class)
            .authorizeHttpRequests(authorize -> authorize
                    // a long-lived answer (SSE) completes in an ASYNC dispatch: the request was authorised on entry
                    .dispatcherTypeMatchers(DispatcherType.ASYNC).permitAll()
                    .requestMatchers(PUBLIC).permitAll()
                    // the WebSocket authenticates at its handshake or by its first message (LiveWebSocketHandler)
                    .requestMatchers(AntPathRequestMatcher.antMatcher(HttpMethod.GET, "/ws")).permitAll()
                    .anyRequest().authenticated())
            .exceptionHandling(handling -> handling
                    .authenticationEntryPoint((request, response, failure) -> {
                        // at /mcp/{slug} the challenge points MCP clients to the RFC 9728 metadata
                        String challenge = gatewayUrls.challenge(request, null);
                        response.setHeader("WWW-Authenticate", challenge == null ? "Bearer" : challenge);
                        errors.write(request, response, HttpStatus.UNAUTHORIZED, "UNAUTHORIZED",
                                     "Authentication required: an access token or an API key", Map.of());
                    })
                    .accessDeniedHandler((request, response, failure) -> errors.write(
                            request, response, HttpStatus.FORBIDDEN, "FORBIDDEN", "Not allowed", Map.of())));
        return http.build();
    }

    @Bean
    public TokenAuthentication tokenAuthentication(AccessTokens accessTokens, SessionStore sessions,
                                                   CredentialDirectory directory, ApiKeyUse apiKeyUse,
                                                   AuthFailureLimiter failures, ErrorResponses errors,
                                                   TooManyRequests tooManyRequests, GatewayUrls gatewayUrls) {
        return new TokenAuthentication(accessTokens, sessions, directory, apiKeyUse, failures, errors,
                                       tooManyRequests, Clock.systemUTC(), gatewayUrls);
    }

    /** The filter runs inside the security chain only, not a second time as a plain servlet filter. */
    @Bean
    public FilterRegistrationBean<TokenAuthentication> tokenAuthenticationRegistration(TokenAuthentication filter) {
        FilterRegistrationBean<TokenAuthentication> registration = new FilterRegistrationBean<>(filter);
        registration.setEnabled(false);
        return registration;
    }

    @Bean
    public CredentialDirectory credentialDirectory(UserCredentials users, ApiKeyCredentials apiKeys,
                                                   IdentityProperties properties) {
        return new CredentialDirectory(users, apiKeys, properties.credentialCacheTtl());
    }

    @Bean
    public ApiKeyUse apiKeyUse(ApiKeyCredentials apiKeys, IdentityProperties properties) {
        return new ApiKeyUse(apiKeys, properties.apiKeyUseFlush());
    }

    @Bean
    public Passwords passwords() {
        return new Passwords();
    }
}
