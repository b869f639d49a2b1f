package org.mcpplatform.web;

import java.time.Instant;
import java.util.Map;

/** The seed's error body: {@code {"error": {code, message, details, timestamp, request_id}}}. */
public record ApiError(Body error) {

    public record Body(String code, String message, Map<String, Object> details, Instant timestamp, String requestId) {
    }

    public static ApiError of(String code, String message, Map<String, Object> details, String requestId) {
        return new ApiError(new Body(code, message, details == null ? Map.of() : details, Instant.now(), requestId));
    }
}
