package org.mcpplatform.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.queryhandling.QueryGateway;
import org.mcpplatform.common.NotFoundException;
import org.mcpplatform.security.PlatformUser;
import org.mcpplatform.tool.FindToolById;
import org.mcpplatform.tool.ToolView;
import org.mcpplatform.web.Commands;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Deployments of tools: requests and stops go to the command side (which checks tool ownership and the command
 * allow-list), reads to the deployment read model. Admins see every deployment; developers those they requested or
 * whose tool they own, and nobody learns that another user's deployment exists (404, not 403).
 */
@RestController
@RequestMapping("/api/v1/deployments")
@Tag(name = "Deployments", description = "Run or reach a tool's MCP server and serve it at /mcp/{slug}")
public class DeploymentController {

    private static final Pattern UUID_FORM =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final String RESOURCE = "Deployment";

    private final Commands commands;
    private final QueryGateway queries;
    private final DeploymentReadYourWrites readYourWrites;
    private final GatewayBaseUrl baseUrl;
    private final ObjectProvider<Upstreams> upstreams;

    public DeploymentController(Commands commands, QueryGateway queries, DeploymentReadYourWrites readYourWrites,
                                GatewayBaseUrl baseUrl, ObjectProvider<Upstreams> upstreams) {
        this.commands = commands;
        this.queries = queries;
        this.readYourWrites = readYourWrites;
        this.baseUrl = baseUrl;
        this.upstreams = upstreams;
    }

    @PostMapping
    @Operation(summary = "Deploy a tool", description = "Body {\"tool_id\": \"...\", \"server\": \"<mcpServers entry>\"} "
            + "(server optional when the config has one entry). 202 with the deployment (status starting); 404 for "
            + "an unknown tool; 409 ALREADY_DEPLOYED while the tool has an active deployment; 403 for another "
            + "user's tool, or, for non-admins, a stdio command not on the allow-list")
    public ResponseEntity<DeploymentResponse> deploy(
            @AuthenticationPrincipal PlatformUser user,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @io.swagger.v3.oas.annotations.media.Content(
                    schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = DeploymentRequestBody.class)))
            @RequestBody JsonNode json) {
        user.require("deployments", "create");
        DeploymentRequestBody body = DeploymentRequestBody.from(json);
        String deploymentId = UUID.randomUUID().toString();
        long revision = commands.send(new RequestDeployment(deploymentId, body.toolId(), body.server()));
        URI location = URI.create("/api/v1/deployments/" + deploymentId);
        DeploymentView deployment = readYourWrites.deployment(deploymentId, revision).orElse(null);
        if (deployment == null) {
            // accepted, but the read model has not caught up within the wait: the client polls the Location
            return ResponseEntity.status(HttpStatus.ACCEPTED).location(location).build();
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(location).body(response(deployment));
    }

    @GetMapping
    @Operation(summary = "List deployments", description = "Newest first; admins see all, developers the ones they "
            + "requested or whose tool they own. active=true: only starting and running ones")
    public DeploymentResponse.Page list(@AuthenticationPrincipal PlatformUser user,
                                        @RequestParam(required = false, defaultValue = "false") boolean active) {
        user.require("deployments", "read");
        DeploymentList list = queries.query(new ListDeployments(user.isAdmin() ? null : user.id(), active),
                                            DeploymentList.class).join();
        return new DeploymentResponse.Page(list.deployments().stream().map(this::response).toList());
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get a deployment")
    public DeploymentResponse get(@AuthenticationPrincipal PlatformUser user, @PathVariable String id) {
        user.require("deployments", "read");
        return response(visible(user, id));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Stop a deployment", description = "200 with the deployment, status stopped; the tool may "
            + "be deployed again. Stopping a deployment that is no longer active changes nothing")
    public DeploymentResponse stop(@AuthenticationPrincipal PlatformUser user, @PathVariable String id) {
        user.require("deployments", "delete");
        visible(user, id);
        long revision = commands.send(new StopDeployment(id));
        return response(current(id, revision));
    }

    @GetMapping("/{id}/logs")
    @Operation(summary = "The server's recent stderr", description = "{\"lines\": [...]}, oldest first; empty for "
            + "remote servers and for deployments not running on this node")
    public DeploymentResponse.Logs logs(@AuthenticationPrincipal PlatformUser user, @PathVariable String id) {
        user.require("deployments", "read");
        visible(user, id);
        Upstreams running = upstreams.getIfAvailable();
        return new DeploymentResponse.Logs(running == null ? List.of() : List.copyOf(running.stderr(id)));
    }

    @PostMapping("/{id}/approve-definitions")
    @Operation(summary = "Trust the upstream's changed tool definitions (admins)", description = "Unblocks the "
            + "changed tools; 409 NOTHING_TO_APPROVE when the definitions have not changed")
    public DeploymentResponse approveDefinitions(@AuthenticationPrincipal PlatformUser user,
                                                 @PathVariable String id) {
        user.require("deployments", "update");
        visible(user, id);
        long revision = commands.send(new ApproveToolDefinitions(id));
        return response(current(id, revision));
    }

    /** The deployment if the user may see it, else 404 (whether or not it exists). */
    private DeploymentView visible(PlatformUser user, String id) {
        if (!UUID_FORM.matcher(id).matches()) {
            throw new NotFoundException(RESOURCE, id);
        }
        DeploymentView deployment = readYourWrites.find(id);
        if (deployment == null || !(user.isAdmin() || user.id().equals(deployment.requestedBy())
                || ownsTool(user, deployment.toolId()))) {
            throw new NotFoundException(RESOURCE, id);
        }
        return deployment;
    }

    private boolean ownsTool(PlatformUser user, String toolId) {
        ToolView tool = queries.query(new FindToolById(toolId), ToolView.class).join();
        return tool != null && user.id().equals(tool.authorId());
    }

    private DeploymentView current(String id, long revision) {
        return readYourWrites.deployment(id, revision).orElseThrow(() -> new NotFoundException(RESOURCE, id));
    }

    private DeploymentResponse response(DeploymentView view) {
        return DeploymentResponse.of(view, baseUrl.value());
    }
}
