package org.mcpplatform.web;

import org.springframework.http.HttpStatus;

import java.util.Map;

/** A failure the API layer itself decides on (bad query parameters, a timeout), with its status and error code. */
public class ApiFailure extends RuntimeException {

    /** A detail that also becomes the response's Retry-After header. */
    public static final String RETRY_AFTER_SECONDS = "retry_after_seconds";

    private final HttpStatus status;
    private final String code;
    private final Map<String, Object> details;

    public ApiFailure(HttpStatus status, String code, String message, Map<String, Object> details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details == null ? Map.of() : details;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }
}
