package org.mcpplatform.ratelimit;

import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.mcpplatform.cache.CacheProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The rate limits: buckets in Redis when {@code REDIS_URL} is set (with the Redis timeout and pause of
 * {@code mcp.cache.*}), in this process otherwise; the request filter unless {@code mcp.rate-limit.enabled} is false.
 */
@Configuration(proxyBeanMethods = false)
public class RateLimitConfiguration {

    /** After Spring Security's filter chain, so that the authenticated principal is known. */
    static final int FILTER_ORDER = SecurityProperties.DEFAULT_FILTER_ORDER + 10;

    @Bean(destroyMethod = "close")
    public RateLimiter rateLimiter(ObjectProvider<RedisClient> platformRedisClient, CacheProperties cache) {
        RedisClient client = platformRedisClient.getIfAvailable();
        return client == null
                ? RateLimiter.inProcess()
                : RateLimiter.redis(client, cache.prefix(), cache.timeout(), cache.retryAfter());
    }

    @Bean
    public AuthFailureLimiter authFailureLimiter(RateLimiter rateLimiter, RateLimitProperties properties) {
        return new AuthFailureLimiter(rateLimiter, properties.failuresPerUsername(), properties.failuresPerIp());
    }

    @Bean
    public FilterRegistrationBean<RateLimitFilter> rateLimitFilter(RateLimiter rateLimiter,
                                                                   RateLimitProperties properties,
                                                                   TooManyRequests tooManyRequests,
                                                                   MeterRegistry meters) {
        FilterRegistrationBean<RateLimitFilter> registration =
                new FilterRegistrationBean<>(new RateLimitFilter(rateLimiter, properties, tooManyRequests, meters));
        registration.setOrder(FILTER_ORDER);
        registration.setEnabled(properties.enabled());
        return registration;
    }
}
