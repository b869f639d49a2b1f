package org.mcpplatform.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.logging.AccessLog;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.LogCapture;
import org.mcpplatform.support.PlatformTest;
import org.quicktheories.core.Gen;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.support.SecretGenerators.strings;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.oneOf;
import static org.quicktheories.generators.Generate.pick;

/** The request id: one per request, the client's when it is safe, the same in the answer and in every log line. */
@PlatformTest
class RequestIdPropertiesTest {

    private static final String SAFE_CHARACTERS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-";
    private static final Pattern GENERATED = Pattern.compile("req_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

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

    /** An X-Request-ID a client sends, and whether the platform must keep it. */
    record Offered(String value, boolean safe) {
    }

    /** A request and the status it gets. */
    enum Call {
        LIST(200), UNKNOWN_TOOL(404), INVALID_BODY(422), MALFORMED_BODY(400), FAILING(500);

        final int status;

        Call(int status) {
            this.status = status;
        }

        Api.Response send(Api api, String... headers) {
            return switch (this) {
                case LIST -> api.get("/api/v1/mcps?page_size=1", headers);
                case UNKNOWN_TOOL -> api.get("/api/v1/mcps/" + UUID.randomUUID(), headers);
                case INVALID_BODY -> api.post("/api/v1/mcps", Map.of("name", ""), headers);
                case MALFORMED_BODY -> api.post("/api/v1/mcps", "{\"name\": ", headers);
                case FAILING -> api.post(FailingTestEndpoint.PATH + "/IllegalStateException",
                                         Map.of("message", "boom"), headers);
            };
        }
    }

    static Gen<Offered> offeredIds() {
        Gen<Offered> safe = strings(SAFE_CHARACTERS, 1, 128).map(id -> new Offered(id, true));
        // printable characters outside the safe set, inside the value (a client's surrounding spaces are trimmed)
        Gen<Offered> unsafeCharacter = strings(SAFE_CHARACTERS, 1, 60)
                .zip(strings(" \"'/\\{}[]<>;,=+!@#$%^&*()~`|?", 1, 3), strings(SAFE_CHARACTERS, 1, 60),
                     (before, unsafe, after) -> new Offered(before + unsafe + after, false));
        Gen<Offered> tooLong = strings(SAFE_CHARACTERS, 129, 300).map(id -> new Offered(id, false));
        return oneOf(safe, unsafeCharacter, tooLong);
    }

    // Property 43: Request Correlation ID — for any request, the X-Request-ID of the response, the request_id of its
    // error body and of its access log line are one id: the client's when it is a safe token, a new one otherwise
    @Test
    void theResponseTheErrorBodyAndTheLogCarryTheSameRequestId() {
        Api api = new Api(port);
        qt().withExamples(100).withShrinkCycles(20).forAll(offeredIds(), pick(List.of(Call.values())))
            .checkAssert((offered, call) -> {
                logs.clear();
                Api.Response response = call.send(api, RequestIds.HEADER, offered.value());

                assertThat(response.status()).isEqualTo(call.status);
                String id = response.header(RequestIds.HEADER);
                if (offered.safe()) {
                    assertThat(id).isEqualTo(offered.value());
                } else {
                    assertThat(id).matches(GENERATED);
                }
                if (call.status >= 400) {
                    assertThat(response.json().path("error").path("request_id").asText()).isEqualTo(id);
                }
                List<JsonNode> access = logs.await(id, LogCapture.logger(AccessLog.class).and(LogCapture.requestId(id)),
                                                   Duration.ofSeconds(3));
                assertThat(access).hasSize(1);
                assertThat(access.get(0).path("status").asInt()).isEqualTo(call.status);
            });
    }

    @Test
    void everyRequestWithoutAnIdGetsADifferentOne() {
        Api api = new Api(port);
        String first = api.get("/api/v1/mcps?page_size=1").header(RequestIds.HEADER);
        String second = api.get("/api/v1/mcps?page_size=1").header(RequestIds.HEADER);
        assertThat(first).matches(GENERATED);
        assertThat(second).matches(GENERATED).isNotEqualTo(first);
    }
}
