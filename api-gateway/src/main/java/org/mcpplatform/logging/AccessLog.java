package org.mcpplatform.logging;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.mcpplatform.web.ErrorResponses;
import org.mcpplatform.web.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.DisconnectedClientHelper;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One log line per request when its response is complete: method, path, the names (never the values) of its query
 * parameters, status, duration, client address, request and user id. Runs just inside {@link RequestIds}, so it also
 * sees what the other filters answer, and it answers (and logs) a failure that escapes every other handler with the
 * platform's error body instead of the servlet container's.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class AccessLog extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);
    private static final int MAX_QUERY_NAMES = 20;

    private final ErrorResponses errors;

    public AccessLog(ErrorResponses errors) {
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long started = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException failure) {
            if (DisconnectedClientHelper.isClientDisconnectedException(failure)) {
                log.debug("Client went away during {} {}", request.getMethod(), request.getRequestURI());
            } else {
                answerUnexpected(request, response, failure);
            }
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        write(request, response, started);
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                    }
                });
            } else {
                write(request, response, started);
            }
        }
    }

    private void answerUnexpected(HttpServletRequest request, HttpServletResponse response, Exception failure)
            throws IOException {
        if (response.isCommitted()) {
            RequestErrors.log(request, HttpStatus.INTERNAL_SERVER_ERROR.value(), "INTERNAL", null, failure);
            return;
        }
        response.resetBuffer();
        errors.write(request, response, HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL", "An unexpected error occurred",
                     Map.of(), failure);
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, long started) {
        int status = response.getStatus();
        // health checks and metric scrapes come every few seconds and say nothing about use
        boolean probe = status < 400 && ("/health".equals(request.getRequestURI())
                || "/metrics".equals(request.getRequestURI()));
        Level level = probe ? Level.DEBUG : Level.INFO;
        if (!log.isEnabledForLevel(level)) {
            return;
        }
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        LoggingEventBuilder line = log.atLevel(level)
                                      .addKeyValue("request_id", RequestIds.of(request))
                                      .addKeyValue("method", request.getMethod())
                                      .addKeyValue("path", request.getRequestURI());
        List<String> queryNames = queryParameterNames(request.getQueryString());
        if (!queryNames.isEmpty()) {
            line = line.addKeyValue("query_params", queryNames);
        }
        Object route = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (route != null) {
            line = line.addKeyValue("route", route.toString());
        }
        line = line.addKeyValue("status", status)
                   .addKeyValue("duration_ms", durationMs)
                   .addKeyValue("client_ip", request.getRemoteAddr());
        String user = UserIds.of(request);
        if (user != null) {
            line = line.addKeyValue(UserIds.MDC_KEY, user);
        }
        line.log(request.getMethod() + " " + request.getRequestURI() + " " + status + " " + durationMs + " ms");
    }

    /** Values stay out: a query may carry a token or a key (?api_key=...). */
    static List<String> queryParameterNames(String query) {
        List<String> names = new ArrayList<>();
        if (query == null || query.isEmpty()) {
            return names;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            try {
                name = URLDecoder.decode(name, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                // logged as sent
            }
            if (!names.contains(name)) {
                names.add(name);
            }
            if (names.size() == MAX_QUERY_NAMES) {
                break;
            }
        }
        return names;
    }
}
