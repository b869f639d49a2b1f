package org.mcpplatform.logging;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.LogCapture;
import org.mcpplatform.support.PlatformTest;
import org.mcpplatform.web.FailingTestEndpoint;
import org.mcpplatform.web.FailingTestEndpoint.Failure;
import org.mcpplatform.web.RequestIds;
import org.quicktheories.core.Gen;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.support.SecretGenerators.PRINTABLE;
import static org.mcpplatform.support.SecretGenerators.strings;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.pick;

/** Every failure while serving a request leaves one structured entry saying what failed and where. */
@PlatformTest
class ErrorLoggingPropertiesTest {

    @LocalServerPort
    int port;

    LogCapture logs;

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.start();
    }

    @AfterEach
    void releaseLogs() {
        logs.close();
    }
    @Autowired
    RequestIds requestIds;
    @Autowired
    AccessLog accessLog;

    static Gen<String> types() {
        return pick(List.copyOf(new java.util.TreeSet<>(FailingTestEndpoint.TYPES.keySet())));
    }

    /** Failure messages as user input may shape them: any text, line breaks and terminal escapes included. */
    static Gen<String> messages() {
        return strings(PRINTABLE + "\r\n\u001b", 1, 80);
    }

    static Gen<Failure> failures() {
        return messages().zip(messages().toOptionals(50), (message, cause) -> new Failure(message,
                                                                                          cause.orElse(null)));
    }

    // Property 42: Structured Error Logging — for any failure while a request is processed, one structured entry
    // (a single JSON object) holds the error type and message and the context: method, path, route, status,
    // request id and user; the client's answer is the generic 500 with the same request id and no internals
    @Test
    void everyFailedRequestWritesOneStructuredErrorEntry() {
        Api api = new Api(port);
        qt().withExamples(60).withShrinkCycles(20).forAll(types(), failures()).checkAssert((type, failure) -> {
            String requestId = "p42-" + UUID.randomUUID();
            Api.Response response = api.post(FailingTestEndpoint.PATH + "/" + type, failure.body(),
                                              RequestIds.HEADER, requestId);

            assertThat(response.status()).isEqualTo(500);
            JsonNode body = response.json().path("error");
            assertThat(body.path("code").asText()).isEqualTo("INTERNAL");
            assertThat(body.path("request_id").asText()).isEqualTo(requestId);
            assertThat(response.text()).doesNotContain(type);

            List<JsonNode> errors = logs.await(requestId, LogCapture.logger(RequestErrors.class),
                                                   Duration.ofSeconds(3));
            assertThat(errors).hasSize(1);
            JsonNode entry = errors.get(0);
            assertThat(entry.path("level").asText()).isEqualTo("ERROR");
            assertThat(entry.path("request_id").asText()).isEqualTo(requestId);
            assertThat(entry.path("user_id").asText()).isNotEmpty();
            assertThat(entry.path("method").asText()).isEqualTo("POST");
            assertThat(entry.path("path").asText()).isEqualTo(FailingTestEndpoint.PATH + "/" + type);
            assertThat(entry.path("route").asText()).isEqualTo(FailingTestEndpoint.ROUTE);
            assertThat(entry.path("status").asInt()).isEqualTo(500);
            assertThat(entry.path("error_code").asText()).isEqualTo("INTERNAL");
            assertError(entry.path("error"), failure.toException(type));

            List<JsonNode> access = logs.await(requestId, LogCapture.logger(AccessLog.class),
                                                   Duration.ofSeconds(3));
            assertThat(access).hasSize(1);
            assertThat(access.get(0).path("status").asInt()).isEqualTo(500);
        });
    }

    // Property 42: Structured Error Logging — a failure that escapes every handler (thrown by a filter or the
    // servlet) is also answered with the platform's error body and logged as one structured entry
    @Test
    void failuresEscapingEveryHandlerAreAnsweredAndLogged() {
        qt().withExamples(40).forAll(types(), failures(), pick(List.of("GET", "POST", "DELETE", "PATCH")))
            .checkAssert((type, failure, method) -> {
                String requestId = "p42f-" + UUID.randomUUID();
                String path = "/api/v1/anything/" + UUID.randomUUID();
                MockHttpServletRequest request = new MockHttpServletRequest(method, path);
                request.addHeader(RequestIds.HEADER, requestId);
                MockHttpServletResponse response = new MockHttpServletResponse();
                HttpServlet failing = new HttpServlet() {
                    @Override
                    protected void service(HttpServletRequest req, HttpServletResponse resp) {
                        throw failure.toException(type);
                    }
                };
                try {
                    new MockFilterChain(failing, requestIds, accessLog).doFilter(request, response);
                } catch (Exception e) {
                    throw new AssertionError("the failure escaped the access log filter", e);
                }

                assertThat(response.getStatus()).isEqualTo(500);
                assertThat(response.getHeader(RequestIds.HEADER)).isEqualTo(requestId);
                JsonNode body = parse(response).path("error");
                assertThat(body.path("code").asText()).isEqualTo("INTERNAL");
                assertThat(body.path("request_id").asText()).isEqualTo(requestId);

                List<JsonNode> errors = logs.await(requestId, LogCapture.logger(RequestErrors.class),
                                                       Duration.ofSeconds(1));
                assertThat(errors).hasSize(1);
                JsonNode entry = errors.get(0);
                assertThat(entry.path("level").asText()).isEqualTo("ERROR");
                assertThat(entry.path("method").asText()).isEqualTo(method);
                assertThat(entry.path("path").asText()).isEqualTo(path);
                assertThat(entry.path("status").asInt()).isEqualTo(500);
                assertError(entry.path("error"), failure.toException(type));
                assertThat(logs.await(requestId, LogCapture.logger(AccessLog.class), Duration.ZERO))
                        .hasSize(1);
            });
    }

    private static void assertError(JsonNode error, RuntimeException expected) {
        assertThat(error.path("type").asText()).isEqualTo(expected.getClass().getName());
        assertThat(error.path("message").asText()).isEqualTo(Redactor.clean(expected.getMessage(), true));
        String stackTrace = error.path("stack_trace").asText();
        assertThat(stackTrace).startsWith(expected.getClass().getName()).contains("\tat ");
        if (expected.getCause() != null) {
            assertThat(stackTrace).contains("Caused by: " + expected.getCause().getClass().getName() + ": "
                                                    + Redactor.clean(expected.getCause().getMessage(), true));
        }
    }

    private static JsonNode parse(MockHttpServletResponse response) {
        try {
            return Api.JSON.readTree(response.getContentAsString());
        } catch (Exception e) {
            throw new AssertionError("not JSON", e);
        }
    }
}
