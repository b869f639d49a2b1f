package org.mcpplatform.security;

import org.mcpplatform.web.ErrorResponses;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

import java.util.Map;

/**
 * Stateless API security: no sessions, no CSRF (no cookies are used), every endpoint authenticated except health,
 * metrics and the API docs. Until accounts exist the authentication is the local administrator's.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    @Bean
    public SecurityFilterChain apiSecurity(HttpSecurity http, ErrorResponses errors) throws Exception {
        http.csrf(csrf -> csrf.disable())
            .cors(org.springframework.security.config.Customizer.withDefaults())
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .httpBasic(basic -> basic.disable())
            .formLogin(form -> form.disable())
            .logout(logout -> logout.disable())
            .requestCache(cache -> cache.disable())
            .addFilterBefore(new LocalAdminAuthentication(), AnonymousAuthenticationFilter.class)
            .authorizeHttpRequests(authorize -> authorize
                    .requestMatchers("/health", "/metrics", "/api/docs", "/api/docs/**", "/swagger-ui/**",
                                     "/v3/api-docs/**", "/error").permitAll()
                    .anyRequest().authenticated())
            .exceptionHandling(handling -> handling
                    .authenticationEntryPoint((request, response, failure) -> errors.write(
                            request, response, HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", "Authentication required",
                            Map.of()))
                    .accessDeniedHandler((request, response, failure) -> errors.write(
                            request, response, HttpStatus.FORBIDDEN, "FORBIDDEN", "Not allowed", Map.of())));
        return http.build();
    }
}
