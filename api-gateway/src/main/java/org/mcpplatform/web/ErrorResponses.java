package org.mcpplatform.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.mcpplatform.logging.RequestErrors;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.util.Map;

/** Writes error bodies from places outside Spring MVC (servlet filters, security entry points). */
@Component
public class ErrorResponses {

    private final ObjectMapper json;

    public ErrorResponses(ObjectMapper json) {
        this.json = json;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String code,
                      String message, Map<String, Object> details) throws IOException {
        write(request, response, status, code, message, details, null);
    }

    /** The error body, logged like the answers of {@link ApiExceptionHandler}; {@code failure} may be null. */
    public void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String code,
                      String message, Map<String, Object> details, Throwable failure) throws IOException {
        RequestErrors.log(request, status.value(), code, message, failure);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), ApiError.of(code, message, details, RequestIds.of(request)));
    }

    void write(HttpServletRequest request, HttpServletResponse response,
               BodySizeLimit.PayloadTooLargeException tooLarge) throws IOException {
        write(request, response, HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", tooLarge.getMessage(),
              Map.of("max_bytes", tooLarge.limit()));
    }
}
