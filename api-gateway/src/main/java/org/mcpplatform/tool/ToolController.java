package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.queryhandling.QueryGateway;
import org.mcpplatform.common.NotFoundException;
import org.mcpplatform.security.PlatformUser;
import org.mcpplatform.common.ValidationException;
import org.mcpplatform.common.Violation;
import org.mcpplatform.web.ApiFailure;
import org.mcpplatform.web.Commands;
import org.mcpplatform.web.ETags;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** The MCP tool registry: commands go to the command side, reads to the query side, history to the event store. */
@RestController
@RequestMapping("/api/v1/mcps")
@Tag(name = "MCP tools", description = "Register, version, audit and manage MCP tools")
public class ToolController {

    private static final Pattern UUID_FORM =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final int MAX_PAGE_SIZE = 100;
    private static final int MAX_TEXT_QUERY = 200;

    private final Commands commands;
    private final QueryGateway queries;
    private final ReadYourWrites readYourWrites;
    private final ToolRules rules;

    public ToolController(Commands commands, QueryGateway queries, ReadYourWrites readYourWrites,
                          ToolRules rules) {
        this.rules = rules;
        this.commands = commands;
        this.queries = queries;
        this.readYourWrites = readYourWrites;
    }

    @PostMapping
    @Operation(summary = "Register a tool", description = "201 with the tool; 409 SLUG_ALREADY_EXISTS if the slug was "
            + "ever used; 422 with one entry per invalid field")
    public ResponseEntity<ToolResponse> register(
            @AuthenticationPrincipal PlatformUser user,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @io.swagger.v3.oas.annotations.media.Content(
                    schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = RegisterToolRequest.class)))
            @RequestBody JsonNode json) {
        user.require("mcps", "create");
        RegisterToolRequest body = RegisterToolRequest.from(json, rules);
        String toolId = UUID.randomUUID().toString();
        long revision = send(new RegisterTool(toolId, body.name(), body.slug(), body.description(), body.version(),
                                              body.config()));
        ToolView tool = readYourWrites.tool(toolId, revision);
        return ResponseEntity.created(URI.create("/api/v1/mcps/" + toolId))
                             .eTag(ETags.of(tool.revision()))
                             .body(ToolResponse.of(tool));
    }

    @GetMapping
    @Operation(summary = "List tools", description = "Filters: status, author_id, q (name, slug or description); "
            + "sort: created_at|updated_at|name|slug|status|version, then ,asc or ,desc")
    public ToolResponse.Page list(@AuthenticationPrincipal PlatformUser user,
                                  @RequestParam(required = false) String status,
                                  @RequestParam(name = "author_id", required = false) String authorId,
                                  @RequestParam(required = false) String q,
                                  @RequestParam(required = false, defaultValue = "1") String page,
                                  @RequestParam(name = "page_size", required = false, defaultValue = "20")
                                  String pageSize,
                                  @RequestParam(required = false, defaultValue = "created_at,desc") String sort) {
        user.require("mcps", "read");
        List<Violation> violations = new ArrayList<>();
        ToolStatus statusFilter = null;
        if (status != null && !status.isEmpty()) {
            try {
                statusFilter = ToolStatus.fromValue(status);
            } catch (IllegalArgumentException e) {
                violations.add(new Violation("status", "must be one of draft, active, deprecated"));
            }
        }
        int pageNumber = integer("page", page, 1, Integer.MAX_VALUE / MAX_PAGE_SIZE, violations);
        int size = integer("page_size", pageSize, 1, MAX_PAGE_SIZE, violations);
        if (q != null && q.length() > MAX_TEXT_QUERY) {
            violations.add(new Violation("q", "must be at most " + MAX_TEXT_QUERY + " characters"));
        }
        String[] sortParts = sort.split(",", -1);
        ToolSortField sortField = ToolSortField.fromApiName(sortParts[0].strip()).orElse(null);
        String direction = sortParts.length > 1 ? sortParts[1].strip().toLowerCase() : "asc";
        if (sortField == null || sortParts.length > 2 || !(direction.equals("asc") || direction.equals("desc"))) {
            violations.add(new Violation("sort", "must be <field>[,asc|desc] with field one of created_at, "
                    + "updated_at, name, slug, status, version"));
        }
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        String author = authorId == null || authorId.isEmpty() ? null : authorId;
        ToolPage result = queries.query(new ListTools(statusFilter, author, q, pageNumber, size, sortField,
                                                      direction.equals("desc")), ToolPage.class).join();
        return ToolResponse.Page.of(result);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get a tool", description = "With as_of=<ISO-8601 instant>, the tool as it was then, "
            + "rebuilt from its events")
    public ResponseEntity<ToolResponse> get(@AuthenticationPrincipal PlatformUser user,
                                            @PathVariable String id,
                                            @RequestParam(name = "as_of", required = false)
                                            @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant asOf,
                                            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false)
                                            String ifNoneMatch) {
        user.require("mcps", "read");
        requireToolId(id);
        ToolView tool = asOf == null
                ? queries.query(new FindToolById(id), ToolView.class).join()
                : queries.query(new FindToolAsOf(id, asOf), ToolView.class).join();
        if (tool == null || tool.deleted()) {
            throw new NotFoundException("MCP tool", id);
        }
        return ok(tool, ifNoneMatch);
    }

    @GetMapping("/by-slug/{slug}")
    @Operation(summary = "Get a tool by its slug")
    public ResponseEntity<ToolResponse> getBySlug(@AuthenticationPrincipal PlatformUser user,
                                                  @PathVariable String slug,
                                                  @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false)
                                                  String ifNoneMatch) {
        user.require("mcps", "read");
        ToolView tool = queries.query(new FindToolBySlug(slug), ToolView.class).join();
        if (tool == null || tool.deleted()) {
            throw new NotFoundException("MCP tool", slug);
        }
        return ok(tool, ifNoneMatch);
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change a tool", description = "Any subset of name, description, version, config and "
            + "status; a change that changes nothing records nothing. If-Match: the ETag the change is based on.")
    public ResponseEntity<ToolResponse> update(@AuthenticationPrincipal PlatformUser user,
                                               @PathVariable String id,
                                               @RequestBody JsonNode body,
                                               @RequestHeader(name = HttpHeaders.IF_MATCH, required = false)
                                               String ifMatch) {
        user.require("mcps", "update");
        requireToolId(id);
        ToolPatch patch = ToolPatch.from(body, rules);
        Long expected = ETags.expectedRevision(ifMatch);
        long revision = patch.onlyStatus()
                ? send(new ChangeToolStatus(id, patch.status(), expected))
                : send(new UpdateTool(id, patch.name(), patch.description(), patch.version(), patch.config(),
                                      patch.status(), expected));
        ToolView tool = readYourWrites.tool(id, revision);
        return ResponseEntity.ok().eTag(ETags.of(tool.revision())).body(ToolResponse.of(tool));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a tool", description = "Soft delete: reads answer 404, the history stays, the slug "
            + "stays reserved")
    public ResponseEntity<Void> delete(@AuthenticationPrincipal PlatformUser user,
                                       @PathVariable String id,
                                       @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        user.require("mcps", "delete");
        requireToolId(id);
        long revision = send(new DeleteTool(id, ETags.expectedRevision(ifMatch)));
        readYourWrites.tool(id, revision);
        return ResponseEntity.noContent().eTag(ETags.of(revision)).build();
    }

    @PostMapping("/{id}/revert")
    @Operation(summary = "Restore the config of an earlier version",
            description = "Body {\"version\": N}, N as in the history; recorded as a revert entry of its own")
    public ResponseEntity<ToolResponse> revert(@AuthenticationPrincipal PlatformUser user,
                                               @PathVariable String id,
                                               @RequestBody RevertToolRequest body,
                                               @RequestHeader(name = HttpHeaders.IF_MATCH, required = false)
                                               String ifMatch) {
        user.require("mcps", "update");
        requireToolId(id);
        if (body.version() == null) {
            throw new ValidationException(List.of(new Violation("version", "is required")));
        }
        long revision = send(new RevertToolConfig(id, body.version(), ETags.expectedRevision(ifMatch)));
        ToolView tool = readYourWrites.tool(id, revision);
        return ResponseEntity.ok().eTag(ETags.of(tool.revision())).body(ToolResponse.of(tool));
    }

    @GetMapping("/{id}/history")
    @Operation(summary = "Every change of a tool, oldest first",
            description = "version, tool_version, change_type, changed_by, changed_at, config and an RFC 6902 diff "
                    + "from the previous config; read from the event store, deleted tools included")
    public List<ToolHistoryEntry> history(@AuthenticationPrincipal PlatformUser user, @PathVariable String id) {
        user.require("mcps", "read");
        requireToolId(id);
        return queries.query(new FindToolHistory(id), ToolHistory.class).join().entries();
    }

    private ResponseEntity<ToolResponse> ok(ToolView tool, String ifNoneMatch) {
        String etag = ETags.of(tool.revision());
        if (ifNoneMatch != null && (ifNoneMatch.strip().equals(etag) || ifNoneMatch.strip().equals("*"))) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
        }
        return ResponseEntity.ok().eTag(etag).body(ToolResponse.of(tool));
    }

    private long send(Object command) {
        return commands.send(command);
    }

    private static void requireToolId(String id) {
        if (!UUID_FORM.matcher(id).matches()) {
            throw new NotFoundException("MCP tool", id);
        }
    }

    private static int integer(String name, String value, int min, int max, List<Violation> violations) {
        try {
            int number = Integer.parseInt(value.strip());
            if (number < min || number > max) {
                violations.add(new Violation(name, "must be between " + min + " and " + max));
            }
            return number;
        } catch (NumberFormatException e) {
            violations.add(new Violation(name, "must be an integer"));
            return min;
        }
    }
}
