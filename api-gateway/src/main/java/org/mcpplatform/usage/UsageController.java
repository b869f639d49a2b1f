package org.mcpplatform.usage;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.queryhandling.QueryGateway;
import org.mcpplatform.common.NotFoundException;
import org.mcpplatform.common.ValidationException;
import org.mcpplatform.common.Violation;
import org.mcpplatform.security.PlatformUser;
import org.mcpplatform.tool.FindToolById;
import org.mcpplatform.tool.ToolView;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Usage statistics of a tool: the requests its deployments served through /mcp/{slug}, per time bucket. */
@RestController
@Tag(name = "MCP tools")
public class UsageController {

    private static final Pattern UUID_FORM =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private final QueryGateway queries;
    private final UsageQueries usage;

    public UsageController(QueryGateway queries, UsageQueries usage) {
        this.queries = queries;
        this.usage = usage;
    }

    @GetMapping("/api/v1/mcps/{id}/stats")
    @Operation(summary = "Usage statistics of a tool", description = "bucket=minute (range up to 1 day, default the "
            + "last hour) or hour (up to 31 days, default the last 24 hours); from (inclusive) and to (exclusive) are "
            + "ISO-8601 instants. Per bucket: count, errors (status other than ok), p50_ms, p95_ms, p99_ms")
    public UsageStats stats(@AuthenticationPrincipal PlatformUser user,
                            @PathVariable String id,
                            @RequestParam(required = false) String from,
                            @RequestParam(required = false) String to,
                            @RequestParam(required = false, defaultValue = "minute") String bucket) {
        user.require("mcps", "read");
        List<Violation> violations = new ArrayList<>();
        StatsBucket width = StatsBucket.fromValue(bucket).orElse(null);
        if (width == null) {
            violations.add(new Violation("bucket", "must be minute or hour"));
        }
        Instant end = instant("to", to, violations);
        Instant start = instant("from", from, violations);
        if (width != null && violations.isEmpty()) {
            end = end == null ? Instant.now() : end;
            start = start == null ? end.minus(width == StatsBucket.MINUTE ? Duration.ofHours(1) : Duration.ofDays(1))
                    : start;
            if (!start.isBefore(end)) {
                violations.add(new Violation("from", "must be before to"));
            } else if (Duration.between(start, end).compareTo(width.maxRange()) > 0) {
                violations.add(new Violation("to", "must be at most " + width.maxRange().toDays() + " day(s) after "
                        + "from for " + width.value() + " buckets"));
            }
        }
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        if (!UUID_FORM.matcher(id).matches()) {
            throw new NotFoundException("MCP tool", id);
        }
        ToolView tool = queries.query(new FindToolById(id), ToolView.class).join();
        if (tool == null || tool.deleted()) {
            throw new NotFoundException("MCP tool", id);
        }
        return usage.stats(id, start, end, width);
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
}
