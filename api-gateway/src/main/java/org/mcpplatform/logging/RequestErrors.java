package org.mcpplatform.logging;

import jakarta.servlet.http.HttpServletRequest;
import org.mcpplatform.web.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.web.servlet.HandlerMapping;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The log entry of a request that ended in an error: what failed (error type and message, with the stack trace when
 * there is an exception) and where (method, path, route, status, request and user id). Unexpected failures are
 * errors; other 5xx answers warnings; refusals (4xx) are debug entries, since the access log already counts them.
 */
public final class RequestErrors {

    private static final Logger log = LoggerFactory.getLogger(RequestErrors.class);

    private RequestErrors() {
    }

    /**
     * @param code    the error code of the answer (INTERNAL for an unexpected failure)
     * @param message the answer's message, used when there is no exception to describe the error
     * @param failure the exception behind the answer, or null
     */
    public static void log(HttpServletRequest request, int status, String code, String message, Throwable failure) {
        Level level = "INTERNAL".equals(code) ? Level.ERROR : status >= 500 ? Level.WARN : Level.DEBUG;
        if (!log.isEnabledForLevel(level)) {
            return;
        }
        LoggingEventBuilder entry = log.atLevel(level)
                                       .addKeyValue("request_id", RequestIds.of(request))
                                       .addKeyValue("method", request.getMethod())
                                       .addKeyValue("path", request.getRequestURI())
                                       .addKeyValue("status", status)
                                       .addKeyValue("error_code", code);
        Object route = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (route != null) {
            entry = entry.addKeyValue("route", route.toString());
        }
        String user = UserIds.of(request);
        if (user != null) {
            entry = entry.addKeyValue(UserIds.MDC_KEY, user);
        }
        if (failure != null) {
            entry = entry.setCause(failure);
        } else {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("type", code);
            error.put("message", message);
            entry = entry.addKeyValue("error", error);
        }
        entry.log("INTERNAL".equals(code)
                          ? "Unexpected failure serving " + request.getMethod() + " " + request.getRequestURI()
                          : request.getMethod() + " " + request.getRequestURI() + " answered " + status + " " + code
                                  + ": " + (message != null ? message : failure.getMessage()));
    }
}
