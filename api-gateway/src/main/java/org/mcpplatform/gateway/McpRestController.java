package org.mcpplatform.gateway;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServletRequest;
import org.mcpplatform.deployment.Upstream;
import org.mcpplatform.deployment.UpstreamClient;
import org.mcpplatform.deployment.Upstreams;
import org.springframework.beans.factory.ObjectProvider;
import org.mcpplatform.security.PlatformUser;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.mcpplatform.web.ApiFailure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seed's REST face of a deployment, {@code /mcp/{slug}/v1/*}: the same upstream as the MCP endpoint, for callers
 * that do not speak MCP. Each call is one MCP request made by a gateway-internal client (no session, no streams:
 * progress and server requests are dropped). Errors come in the platform's error format; an upstream timeout is 504.
 */
@RestController
public class McpRestController {

    /** Lists are followed through this many pages at most, so that a server paging forever cannot hold a thread. */
    private static final int MAX_PAGES = 20;
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final TypeRef<Map<String, Object>> OBJECT = new TypeRef<>() {
    };

    /** Absent until the supervisor is part of the application: then nothing is deployed here. */
    private final ObjectProvider<Upstreams> upstreams;
    private final GatewayUrls urls;
    private final GatewayUsage usage;
    private final GatewayProperties properties;
    private final McpJsonMapper json = McpJsonDefaults.getMapper();
    private final AtomicLong ids = new AtomicLong();

    public McpRestController(ObjectProvider<Upstreams> upstreams, GatewayUrls urls, GatewayUsage usage,
                             GatewayProperties properties) {
        this.upstreams = upstreams;
        this.urls = urls;
        this.usage = usage;
        this.properties = properties;
    }

    /** The body of a tool call: its arguments (none: {}). */
    public record ToolCall(Map<String, Object> arguments) {
    }

    @GetMapping("/mcp/{slug}/v1/tools")
    public Map<String, Object> tools(@PathVariable String slug, @AuthenticationPrincipal PlatformUser user,
                                     HttpServletRequest request) {
        return list(slug, user, request, McpSchema.METHOD_TOOLS_LIST, "tools");
    }

    @GetMapping("/mcp/{slug}/v1/resources")
    public Map<String, Object> resources(@PathVariable String slug, @AuthenticationPrincipal PlatformUser user,
                                         HttpServletRequest request) {
        return list(slug, user, request, McpSchema.METHOD_RESOURCES_LIST, "resources");
    }

    @GetMapping("/mcp/{slug}/v1/prompts")
    public Map<String, Object> prompts(@PathVariable String slug, @AuthenticationPrincipal PlatformUser user,
                                       HttpServletRequest request) {
        return list(slug, user, request, McpSchema.METHOD_PROMPT_LIST, "prompts");
    }

    @PostMapping("/mcp/{slug}/v1/tools/{name}/call")
    public Map<String, Object> call(@PathVariable String slug, @PathVariable String name,
                                    @RequestBody(required = false) ToolCall body,
                                    @AuthenticationPrincipal PlatformUser user, HttpServletRequest request) {
        Upstream upstream = authorize(slug, user, request);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", name);
        params.put("arguments", body == null || body.arguments() == null ? Map.of() : body.arguments());
        return request(upstream, user, McpSchema.METHOD_TOOLS_CALL, params);
    }

    private Map<String, Object> list(String slug, PlatformUser user, HttpServletRequest request, String method,
                                     String field) {
        Upstream upstream = authorize(slug, user, request);
        List<Object> items = new ArrayList<>();
        Object cursor = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            Map<String, Object> result = request(upstream, user, method,
                                                 cursor == null ? Map.of() : Map.of("cursor", cursor));
            if (result.get(field) instanceof List<?> found) {
                items.addAll(found);
            }
            cursor = result.get("nextCursor");
            if (cursor == null) {
                break;
            }
        }
        return Map.of(field, items);
    }

    private Upstream authorize(String slug, PlatformUser user, HttpServletRequest request) {
        if (!urls.originAllowed(request)) {
            throw new ApiFailure(HttpStatus.FORBIDDEN, "FORBIDDEN", "The Origin is not allowed", Map.of());
        }
        user.require("mcps", "read");
        return deployed(slug).orElseThrow(() -> new ApiFailure(
                HttpStatus.NOT_FOUND, "NOT_FOUND", "No MCP server is deployed at '" + slug + "'",
                Map.of("resource_type", "mcp_deployment", "resource_id", slug)));
    }

    private Map<String, Object> request(Upstream upstream, PlatformUser user, String method,
                                        Map<String, Object> params) {
        McpSchema.JSONRPCRequest call = new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, method,
                                                                     "rest-" + ids.incrementAndGet(), params);
        InternalClient client = new InternalClient();
        Duration timeout = properties.requestTimeout();
        long start = System.nanoTime();
        McpSchema.JSONRPCResponse answer;
        try {
            answer = upstream.request(call, client, timeout).get(timeout.plus(GRACE).toMillis(),
                                                                 TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer = McpProtocol.error(call.id(), McpProtocol.REQUEST_TIMEOUT, "Request timed out");
        } catch (ExecutionException e) {
            usage.record(upstream, call, null, 502, start, user.id());
            throw new ApiFailure(HttpStatus.BAD_GATEWAY, "UPSTREAM_UNAVAILABLE", "The MCP server is not available",
                                 Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiFailure(HttpStatus.SERVICE_UNAVAILABLE, "UNAVAILABLE", "The server is shutting down",
                                 Map.of());
        } finally {
            upstream.detach(client);
        }
        McpSchema.JSONRPCResponse.JSONRPCError error = answer.error();
        if (error == null) {
            usage.record(upstream, call, answer, 200, start, user.id());
            return answer.result() == null ? Map.of() : json.convertValue(answer.result(), OBJECT);
        }
        if (McpProtocol.isTimeout(answer)) {
            usage.record(upstream, call, answer, 504, start, user.id());
            throw new ApiFailure(HttpStatus.GATEWAY_TIMEOUT, "UPSTREAM_TIMEOUT",
                                 "The MCP server did not answer within " + timeout.toSeconds() + " s", Map.of());
        }
        HttpStatus status = switch (error.code() == null ? 0 : error.code()) {
            case McpProtocol.METHOD_NOT_FOUND -> HttpStatus.NOT_FOUND;
            case McpProtocol.INVALID_PARAMS -> HttpStatus.UNPROCESSABLE_ENTITY;
            default -> HttpStatus.BAD_GATEWAY;
        };
        usage.record(upstream, call, answer, status.value(), start, user.id());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("jsonrpc_code", error.code());
        if (error.data() != null) {
            details.put("data", error.data());
        }
        throw new ApiFailure(status, switch (status) {
                                 case NOT_FOUND -> "NOT_FOUND";
                                 case UNPROCESSABLE_ENTITY -> "INVALID_PARAMS";
                                 default -> "UPSTREAM_ERROR";
                             },
                             "The MCP server answered: " + error.message(), details);
    }

    /** The gateway's own client for one REST call: it takes no notifications and declares nothing. */
    private static final class InternalClient implements UpstreamClient {
        private final String id = "rest-" + UUID.randomUUID();

        @Override
        public String sessionId() {
            return id;
        }

        @Override
        public void send(McpSchema.JSONRPCMessage message, Object relatedRequestId) {
            // no stream to carry it
        }

        @Override
        public boolean declares(String capability) {
            return false;
        }
    }

    private Optional<Upstream> deployed(String slug) {
        Upstreams running = upstreams.getIfAvailable();
        return running == null ? Optional.empty() : running.bySlug(slug);
    }

}
