package org.mcpplatform.ratelimit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.mcpplatform.web.ApiError;
import org.mcpplatform.web.ErrorResponses;
import org.mcpplatform.web.RequestIds;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The 429 answer, the same from a servlet filter ({@link #write}) and from a controller that throws
 * {@link RateLimitExceededException}: Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining 0, and the seed's error
 * body with code {@code RATE_LIMITED} and details {@code limit} and {@code retry_after_seconds}.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE) // ahead of the catch-all ApiExceptionHandler, which would answer 500
public class TooManyRequests {

    public static final String LIMIT_HEADER = "X-RateLimit-Limit";
    public static final String REMAINING_HEADER = "X-RateLimit-Remaining";
    static final String CODE = "RATE_LIMITED";

    private final ErrorResponses errors;

    public TooManyRequests(ErrorResponses errors) {
        this.errors = errors;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, RateLimitExceededException refusal)
            throws IOException {
        setHeaders(response, refusal);
        errors.write(request, response, HttpStatus.TOO_MANY_REQUESTS, CODE, refusal.getMessage(), details(refusal));
    }

    @ExceptionHandler(RateLimitExceededException.class)
    public ResponseEntity<ApiError> handle(RateLimitExceededException refusal, HttpServletRequest request,
                                           HttpServletResponse response) {
        // on the response itself: they replace the request budget's headers the filter set, not add to them
        setHeaders(response, refusal);
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                             .body(ApiError.of(CODE, refusal.getMessage(), details(refusal), RequestIds.of(request)));
    }

    private static void setHeaders(HttpServletResponse response, RateLimitExceededException refusal) {
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(refusal.retryAfterSeconds()));
        response.setHeader(LIMIT_HEADER, Long.toString(refusal.limit()));
        response.setHeader(REMAINING_HEADER, "0");
    }

    private static Map<String, Object> details(RateLimitExceededException refusal) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("limit", refusal.limit());
        details.put("retry_after_seconds", refusal.retryAfterSeconds());
        return details;
    }
}
