package org.mcpplatform.deployment;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.Repository;
import org.mcpplatform.common.ForbiddenException;
import org.mcpplatform.common.NotFoundException;
import org.mcpplatform.identity.ActorMetaData;
import org.mcpplatform.identity.Role;
import org.mcpplatform.tool.McpTool;
import org.mcpplatform.tool.ToolFacts;

/**
 * Accepts deployment requests: finds the tool, checks that the actor may deploy it and the chosen server, claims the
 * tool, then creates the aggregate, all in one unit of work (a rollback gives the claim back). Returns revision 1.
 */
public class DeploymentRequests {

    private final Repository<Deployment> deployments;
    private final ToolFacts tools;
    private final DeploymentClaims claims;
    private final DeploymentRules rules;

    public DeploymentRequests(Repository<Deployment> deployments, ToolFacts tools, DeploymentClaims claims,
                              DeploymentRules rules) {
        this.deployments = deployments;
        this.tools = tools;
        this.claims = claims;
        this.rules = rules;
    }

    @CommandHandler
    public long handle(RequestDeployment command,
                       @MetaDataValue(ActorMetaData.USER_ID) String actor,
                       @MetaDataValue(ActorMetaData.ROLE) String role) throws Exception {
        if (actor == null || role == null) {
            throw new ForbiddenException("The command carries no acting user");
        }
        ToolFacts.Facts tool = tools.of(command.toolId())
                                    .orElseThrow(() -> new NotFoundException(McpTool.RESOURCE_TYPE, command.toolId()));
        Role actorRole = Role.fromValue(role);
        if (actorRole != Role.ADMIN && !actor.equals(tool.authorId())) {
            throw new ForbiddenException("Only the tool's author or an admin may deploy it");
        }
        DeploymentRules.ChosenServer server = rules.choose(tool.config(), command.server(), actorRole);
        claims.claim(tool.toolId(), command.deploymentId());
        CurrentUnitOfWork.get().onRollback(unitOfWork -> claims.release(tool.toolId(), command.deploymentId()));
        deployments.newInstance(() -> new Deployment(new DeploymentRequested(
                command.deploymentId(), tool.toolId(), tool.revision(), tool.slug(), server.name(), server.kind(),
                "/mcp/" + tool.slug(), actor, tool.authorId())));
        return 1L;
    }
}
