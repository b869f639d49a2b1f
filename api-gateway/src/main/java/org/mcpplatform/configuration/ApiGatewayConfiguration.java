package org.mcpplatform.configuration;

import org.mcpplatform.gateway.GatewayProperties;
import org.mcpplatform.identity.IdentityProperties;
import org.mcpplatform.identity.TokenProperties;
import org.mcpplatform.live.LiveProperties;
import org.mcpplatform.logging.LogProperties;
import org.mcpplatform.ratelimit.RateLimitProperties;
import org.mcpplatform.web.ApiProperties;
import org.mcpplatform.web.CorsProperties;
import org.mcpplatform.web.HttpProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Binds the API gateway's settings and hands each feature its section. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiGatewayProperties.class)
public class ApiGatewayConfiguration {

    @Bean
    public HttpProperties httpProperties(ApiGatewayProperties settings) {
        return settings.http();
    }

    @Bean
    public ApiProperties apiProperties(ApiGatewayProperties settings) {
        return settings.api();
    }

    @Bean
    public CorsProperties corsProperties(ApiGatewayProperties settings) {
        return settings.cors();
    }

    @Bean
    public GatewayProperties gatewayProperties(ApiGatewayProperties settings) {
        return settings.gateway();
    }

    @Bean
    public IdentityProperties identityProperties(ApiGatewayProperties settings) {
        return settings.identity();
    }

    @Bean
    public TokenProperties tokenProperties(ApiGatewayProperties settings) {
        return settings.tokens();
    }

    @Bean
    public RateLimitProperties rateLimitProperties(ApiGatewayProperties settings) {
        return settings.rateLimit();
    }

    @Bean
    public LogProperties logProperties(ApiGatewayProperties settings) {
        return settings.log();
    }

    @Bean
    public LiveProperties liveProperties(ApiGatewayProperties settings) {
        return settings.live();
    }
}
