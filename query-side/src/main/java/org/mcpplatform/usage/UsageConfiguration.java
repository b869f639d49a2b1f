package org.mcpplatform.usage;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The usage statistics: the recorder the gateway writes to, and the queries of the stats endpoint. */
@Configuration(proxyBeanMethods = false)
public class UsageConfiguration {

    @Bean
    public JdbcUsageRecorder usageRecorder(JdbcTemplate jdbcTemplate, UsageProperties properties,
                                           MeterRegistry meters) {
        return new JdbcUsageRecorder(jdbcTemplate, properties, meters);
    }

    @Bean
    public UsageQueries usageQueries(JdbcTemplate jdbcTemplate) {
        return new UsageQueries(jdbcTemplate);
    }
}
