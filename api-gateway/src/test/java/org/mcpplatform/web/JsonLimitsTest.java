package org.mcpplatform.web;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** JSON nested deeper than 64 levels is refused by the parser, before anything reads the body. */
@PlatformTest
class JsonLimitsTest {

    @LocalServerPort
    int port;
    @Autowired
    RequestMappingHandlerAdapter mvc;
    @Autowired
    ApiProperties api;

    /**
     * A tool registration whose body nests {@code depth} levels: the body is level 1, the config level 2, and below
     * it objects ({"a": {"a": ...}}) or arrays ([[...]]) down to the innermost empty one.
     */
    private static String registration(int depth, boolean arrays) {
        String config = arrays
                ? "{\"a\":" + "[".repeat(depth - 2) + "]".repeat(depth - 2) + "}"
                : "{\"a\":".repeat(depth - 2) + "{}" + "}".repeat(depth - 2);
        return "{\"name\":\"Deep\",\"slug\":\"deep-" + UUID.randomUUID().toString().substring(0, 8)
                + "\",\"version\":\"1.0.0\",\"config\":" + config + "}";
    }

    @Test
    void bodiesNestedDeeperThan64LevelsAreRefusedAsMalformed() {
        for (boolean arrays : new boolean[]{false, true}) {
            Api.Response response = new Api(port).post("/api/v1/mcps", registration(65, arrays));
            assertThat(response.status()).as("arrays: %s", arrays).isEqualTo(400);
            assertThat(response.json().path("error").path("code").asText()).isEqualTo("MALFORMED_JSON");
            assertThat(response.json().path("error").path("message").asText())
                    .isEqualTo("The request body holds JSON nested deeper than 64 levels");
        }
    }

    @Test
    void bodiesNested64LevelsReachTheUsualValidation() {
        for (boolean arrays : new boolean[]{false, true}) {
            Api.Response response = new Api(port).post("/api/v1/mcps", registration(64, arrays));
            assertThat(response.status()).as("arrays: %s", arrays).isEqualTo(422);
            assertThat(response.json().path("error").path("code").asText()).isEqualTo("VALIDATION_ERROR");
        }
    }

    @Test
    void theParserOfRequestBodiesLimitsNestingAndStringsToTheBodyLimit() {
        ObjectMapper requestBodies = mvc.getMessageConverters().stream()
                                        .filter(MappingJackson2HttpMessageConverter.class::isInstance)
                                        .map(converter -> ((MappingJackson2HttpMessageConverter) converter)
                                                .getObjectMapper())
                                        .findFirst().orElseThrow();
        StreamReadConstraints limits = requestBodies.getFactory().streamReadConstraints();
        assertThat(limits.getMaxNestingDepth()).isEqualTo(JsonLimits.MAX_NESTING_DEPTH);
        assertThat((long) limits.getMaxStringLength()).isEqualTo(api.maxBodyBytes());
    }
}
