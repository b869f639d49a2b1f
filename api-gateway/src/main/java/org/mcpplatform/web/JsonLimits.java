package org.mcpplatform.web;

import com.fasterxml.jackson.core.StreamReadConstraints;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Limits on the JSON the API reads, enforced by the parser so that an abusive body fails before any of it is built
 * into objects: nesting at most {@value #MAX_NESTING_DEPTH} levels (deep nesting costs stack and time in every later
 * recursive walk, and no tool config needs it), and no string longer than the body limit (Jackson's own default, 20
 * million characters, would otherwise be the limit for a larger body limit). Both answer 400 MALFORMED_JSON.
 */
@Configuration(proxyBeanMethods = false)
public class JsonLimits {

    public static final int MAX_NESTING_DEPTH = 64;

    @Bean
    public Jackson2ObjectMapperBuilderCustomizer jsonReadLimits(ApiProperties api) {
        StreamReadConstraints limits = StreamReadConstraints.builder()
                                                            .maxNestingDepth(MAX_NESTING_DEPTH)
                                                            .maxStringLength((int) Math.min(Integer.MAX_VALUE,
                                                                                            api.maxBodyBytes()))
                                                            .build();
        return builder -> builder.postConfigurer(mapper -> mapper.getFactory().setStreamReadConstraints(limits));
    }
}
