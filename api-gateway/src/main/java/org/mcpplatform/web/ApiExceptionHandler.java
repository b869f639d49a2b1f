package org.mcpplatform.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.mcpplatform.common.ConflictException;
import org.mcpplatform.common.ForbiddenException;
import org.mcpplatform.common.NotFoundException;
import org.mcpplatform.common.RevisionMismatchException;
import org.mcpplatform.common.ValidationException;
import org.mcpplatform.common.Violation;
import org.mcpplatform.logging.RequestErrors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * Turns every failure into the seed's error body with its status. Domain refusals keep their meaning (422, 404, 409,
 * 412); anything unexpected is a 500 whose body says nothing about internals. Every answer is logged through
 * {@link RequestErrors} (the unexpected ones with their stack trace).
 */
@RestControllerAdvice
public class ApiExceptionHandler {

    /** A long-lived answer (SSE) whose client has gone: nothing can be written, and nothing went wrong here. */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    public void clientGone() {
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<ApiError> handle(Exception exception, HttpServletRequest request) {
        Throwable failure = unwrap(exception);
        ResponseEntity<ApiError> answer = answer(failure, RequestIds.of(request));
        ApiError.Body error = answer.getBody().error();
        RequestErrors.log(request, answer.getStatusCode().value(), error.code(), error.message(), failure);
        // JSON even where the client asked for another type (an SSE stream refused before it began)
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                             .contentType(MediaType.APPLICATION_JSON).body(answer.getBody());
    }

    private ResponseEntity<ApiError> answer(Throwable failure, String requestId) {
        if (failure instanceof ValidationException e) {
            return validation(e.violations(), requestId);
        }
        if (failure instanceof NotFoundException e) {
            return error(HttpStatus.NOT_FOUND, "NOT_FOUND", e.getMessage(),
                         details("resource_type", e.resourceType(), "resource_id", e.resourceId()), requestId);
        }
        if (failure instanceof AggregateNotFoundException e) {
            return error(HttpStatus.NOT_FOUND, "NOT_FOUND", "Resource '" + e.getAggregateIdentifier() + "' not found",
                         details("resource_id", e.getAggregateIdentifier()), requestId);
        }
        if (failure instanceof ForbiddenException e) {
            return error(HttpStatus.FORBIDDEN, "FORBIDDEN", e.getMessage(), Map.of(), requestId);
        }
        if (failure instanceof ConflictException e) {
            return error(HttpStatus.CONFLICT, e.code(), e.getMessage(), Map.of(), requestId);
        }
        if (failure instanceof RevisionMismatchException e) {
            return ResponseEntity.status(HttpStatus.PRECONDITION_FAILED)
                                 .header(HttpHeaders.ETAG, ETags.of(e.actual()))
                                 .body(ApiError.of("PRECONDITION_FAILED",
                                                   "If-Match does not match the current ETag " + ETags.of(e.actual()),
                                                   details("expected", ETags.of(e.expected()),
                                                           "current", ETags.of(e.actual())), requestId));
        }
        if (failure instanceof org.axonframework.modelling.command.ConcurrencyException) {
            // the command gateway already retried against the reloaded aggregate; the client may try again
            return error(HttpStatus.CONFLICT, "CONFLICT",
                         "The resource was changed by other requests at the same moment; read it again and retry",
                         Map.of(), requestId);
        }
        if (failure instanceof ApiFailure e) {
            if (e.details().get(ApiFailure.RETRY_AFTER_SECONDS) instanceof Number seconds) {
                return ResponseEntity.status(e.status())
                                     .header(HttpHeaders.RETRY_AFTER, seconds.toString())
                                     .body(ApiError.of(e.code(), e.getMessage(), e.details(), requestId));
            }
            return error(e.status(), e.code(), e.getMessage(), e.details(), requestId);
        }
        if (failure instanceof BodySizeLimit.PayloadTooLargeException e) {
            return error(HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", e.getMessage(),
                         details("max_bytes", e.limit()), requestId);
        }
        if (failure instanceof HttpMessageNotReadableException e) {
            return unreadable(e, requestId);
        }
        if (failure instanceof MethodArgumentTypeMismatchException e) {
            return validation(List.of(new Violation(e.getName(), "has an invalid value")), requestId);
        }
        if (failure instanceof MissingServletRequestParameterException e) {
            return validation(List.of(new Violation(e.getParameterName(), "is required")), requestId);
        }
        if (failure instanceof HttpMediaTypeNotSupportedException e) {
            return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE",
                         "Content-Type must be application/json", Map.of(), requestId);
        }
        if (failure instanceof HttpMediaTypeNotAcceptableException) {
            return error(HttpStatus.NOT_ACCEPTABLE, "NOT_ACCEPTABLE", "This resource is served as application/json",
                         Map.of(), requestId);
        }
        if (failure instanceof HttpRequestMethodNotSupportedException e) {
            return error(HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", e.getMessage(), Map.of(), requestId);
        }
        if (failure instanceof NoResourceFoundException) {
            return error(HttpStatus.NOT_FOUND, "NOT_FOUND", "No such endpoint", Map.of(), requestId);
        }
        return error(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL", "An unexpected error occurred", Map.of(),
                     requestId);
    }

    private ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException exception, String requestId) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodySizeLimit.PayloadTooLargeException tooLarge) {
                return error(HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", tooLarge.getMessage(),
                             details("max_bytes", tooLarge.limit()), requestId);
            }
            if (cause instanceof StreamConstraintsException limit) {
                return error(HttpStatus.BAD_REQUEST, "MALFORMED_JSON", "The request body holds "
                                     + (limit.getOriginalMessage().contains("nesting depth")
                                        ? "JSON nested deeper than " + JsonLimits.MAX_NESTING_DEPTH + " levels"
                                        : "a JSON value longer than allowed"),
                             details("max_nesting_depth", JsonLimits.MAX_NESTING_DEPTH), requestId);
            }
            if (cause instanceof UnrecognizedPropertyException unknown) {
                return validation(List.of(new Violation(path(unknown), "is not a known field")), requestId);
            }
            if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
                return validation(List.of(new Violation(path(mismatch), "has the wrong type")), requestId);
            }
            if (cause instanceof MismatchedInputException) {
                return validation(List.of(new Violation("body", "must be a JSON object")), requestId);
            }
            if (cause instanceof JsonProcessingException parse && !(parse instanceof JsonMappingException)) {
                return error(HttpStatus.BAD_REQUEST, "MALFORMED_JSON",
                             "The request body is not valid JSON: " + parse.getOriginalMessage(), Map.of(), requestId);
            }
        }
        return error(HttpStatus.BAD_REQUEST, "MALFORMED_JSON", "The request body is missing or not valid JSON",
                     Map.of(), requestId);
    }

    private static String path(JsonMappingException exception) {
        return exception.getPath().stream()
                        .map(reference -> reference.getFieldName() != null
                                ? reference.getFieldName()
                                : "[" + reference.getIndex() + "]")
                        .collect(Collectors.joining(".")).replace(".[", "[");
    }

    static ResponseEntity<ApiError> validation(List<Violation> violations, String requestId) {
        Map<String, List<String>> byField = new LinkedHashMap<>();
        violations.forEach(v -> byField.computeIfAbsent(v.field(), f -> new ArrayList<>()).add(v.message()));
        List<Map<String, Object>> errors = new ArrayList<>();
        byField.forEach((field, messages) -> errors.add(Map.of("field", field,
                                                                "message", String.join("; ", messages))));
        String summary = byField.size() == 1
                ? "Invalid field '" + byField.keySet().iterator().next() + "'"
                : byField.size() + " fields are invalid";
        return error(HttpStatus.UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", summary, Map.of("errors", errors),
                     requestId);
    }

    private static ResponseEntity<ApiError> error(HttpStatus status, String code, String message,
                                                  Map<String, Object> details, String requestId) {
        return ResponseEntity.status(status).body(ApiError.of(code, message, details, requestId));
    }

    private static Map<String, Object> details(Object... keyValues) {
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            details.put((String) keyValues[i], keyValues[i + 1]);
        }
        return details;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
