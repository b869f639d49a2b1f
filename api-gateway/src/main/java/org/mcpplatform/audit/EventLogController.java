package org.mcpplatform.audit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.queryhandling.QueryGateway;
import org.mcpplatform.common.ForbiddenException;
import org.mcpplatform.common.ValidationException;
import org.mcpplatform.common.Violation;
import org.mcpplatform.security.PlatformUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** The audit trail: the raw event log of the event store, paged, for administrators. */
@RestController
@Tag(name = "Administration")
public class EventLogController {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 500;

    private final QueryGateway queries;

    public EventLogController(QueryGateway queries) {
        this.queries = queries;
    }

    @GetMapping("/api/v1/admin/events")
    @Operation(summary = "The raw event log (audit trail)", description = "Admins only. Every stored event, oldest "
            + "first (by position in the event store), with its payload and metadata (user_id, request_id, role). "
            + "Filters: aggregate_id; type (the payload type's simple name, e.g. ToolUpdated, or its full name); from "
            + "(inclusive) and to (exclusive), ISO-8601 instants. Paging: page (from 1, default 1), page_size (1 to "
            + MAX_PAGE_SIZE + ", default " + DEFAULT_PAGE_SIZE + "); has_more tells whether a next page holds events.")
    public EventLogResponse events(@AuthenticationPrincipal PlatformUser user,
                                   @RequestParam(name = "aggregate_id", required = false) String aggregateId,
                                   @RequestParam(required = false) String type,
                                   @RequestParam(required = false) String from,
                                   @RequestParam(required = false) String to,
                                   @RequestParam(required = false) String page,
                                   @RequestParam(name = "page_size", required = false) String pageSize) {
        if (!user.isAdmin()) {
            throw new ForbiddenException("Only administrators may read the event log");
        }
        List<Violation> violations = new ArrayList<>();
        int pageNumber = number("page", page, 1, 1, Integer.MAX_VALUE, violations);
        int size = number("page_size", pageSize, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE, violations);
        Instant start = instant("from", from, violations);
        Instant end = instant("to", to, violations);
        if (start != null && end != null && !start.isBefore(end)) {
            violations.add(new Violation("to", "must be after from"));
        }
        if (violations.isEmpty() && (long) (pageNumber - 1) * size > Integer.MAX_VALUE) {
            violations.add(new Violation("page", "is beyond the last event the log can page to"));
        }
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        EventPage found = queries.query(new FindEvents(blankToNull(aggregateId), blankToNull(type), start, end,
                                                       pageNumber, size), EventPage.class).join();
        return EventLogResponse.of(found);
    }

    private static int number(String name, String value, int absent, int min, int max, List<Violation> violations) {
        if (value == null) {
            return absent;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        violations.add(new Violation(name, max == Integer.MAX_VALUE
                ? "must be a whole number of at least " + min
                : "must be a whole number from " + min + " to " + max));
        return absent;
    }

    private static Instant instant(String name, String value, List<Violation> violations) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            violations.add(new Violation(name, "must be an ISO-8601 instant, e.g. 2026-01-31T12:00:00Z"));
            return null;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
