package org.mcpplatform.web;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Test-only endpoint (src/test, so never in the application): fails the way it is told, for the tests of what the
 * platform logs and answers when request processing fails. Every application the tests start has it.
 */
@RestController
@RequestMapping(FailingTestEndpoint.PATH)
public class FailingTestEndpoint {

    public static final String PATH = "/api/v1/test-failures";
    public static final String ROUTE = PATH + "/{type}";

    /** The exceptions it can throw, by simple name. */
    public static final Map<String, BiFunction<String, Throwable, RuntimeException>> TYPES = Map.of(
            "IllegalStateException", IllegalStateException::new,
            "IllegalArgumentException", IllegalArgumentException::new,
            "UnsupportedOperationException", UnsupportedOperationException::new,
            "NullPointerException", (message, cause) -> withCause(new NullPointerException(message), cause),
            "ClassCastException", (message, cause) -> withCause(new ClassCastException(message), cause),
            "UncheckedIOException", (message, cause) -> new UncheckedIOException(message,
                    cause instanceof IOException io ? io : new IOException("no cause given")));

    /** @param causeMessage when not null, the failure has an IOException with this message as its cause */
    public record Failure(String message, String causeMessage) {

        /** The request body (the API's JSON is snake_case). */
        public Map<String, String> body() {
            Map<String, String> body = new java.util.LinkedHashMap<>();
            body.put("message", message);
            body.put("cause_message", causeMessage);
            return body;
        }

        public RuntimeException toException(String type) {
            Throwable cause = causeMessage == null ? null : new IOException(causeMessage);
            return TYPES.get(type).apply(message, cause);
        }
    }

    @PostMapping("/{type}")
    public void fail(@PathVariable String type, @RequestBody Failure failure) {
        throw failure.toException(type);
    }

    private static RuntimeException withCause(RuntimeException failure, Throwable cause) {
        return cause == null ? failure : (RuntimeException) failure.initCause(cause);
    }
}
