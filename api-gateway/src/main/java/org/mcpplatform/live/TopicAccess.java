package org.mcpplatform.live;

import org.axonframework.queryhandling.QueryGateway;
import org.mcpplatform.common.ForbiddenException;
import org.mcpplatform.common.NotFoundException;
import org.mcpplatform.deployment.DeploymentView;
import org.mcpplatform.deployment.FindDeployment;
import org.mcpplatform.security.PlatformUser;
import org.mcpplatform.tool.FindToolById;
import org.mcpplatform.tool.ToolView;
import org.springframework.stereotype.Component;

/**
 * Who may follow which topic: the same rules as reading the thing through the REST API. A subscription is checked
 * in full when it is made; each delivery checks the subscriber's current role again, so that a demotion takes effect
 * on open connections too.
 */
@Component
public class TopicAccess {

    private final QueryGateway queries;

    public TopicAccess(QueryGateway queries) {
        this.queries = queries;
    }

    /** Returns if {@code user} may subscribe to {@code topic}, else throws (403, or 404 for what they cannot see). */
    public void checkSubscription(PlatformUser user, Topic topic) {
        if (!mayReceive(user, topic)) {
            throw new ForbiddenException("Your role (" + user.role().value() + ") may not follow " + topic);
        }
        switch (topic.kind()) {
            case DEPLOYMENT, TASK -> {
                if (!user.isAdmin() && !ownsDeployment(user, topic.id())) {
                    throw new NotFoundException(topic.kind() == Topic.Kind.TASK ? "task" : "deployment", topic.id());
                }
            }
            case USER -> {
                if (!user.isAdmin() && !user.id().equals(topic.id())) {
                    throw new ForbiddenException("Only the account's owner and administrators follow " + topic);
                }
            }
            default -> {
            }
        }
    }

    /** The role check of every delivery (ownership was checked at subscription; it does not change). */
    public boolean mayReceive(PlatformUser user, Topic topic) {
        return switch (topic.kind()) {
            case TOOL, TOOLS -> user.may("mcps", "read");
            case DEPLOYMENT, TASK -> user.may("deployments", "read");
            case USER -> user.isAdmin() || user.id().equals(topic.id());
            case BROADCAST -> true;
        };
    }

    private boolean ownsDeployment(PlatformUser user, String deploymentId) {
        DeploymentView deployment = queries.query(new FindDeployment(deploymentId), DeploymentView.class).join();
        if (deployment == null) {
            return false;
        }
        if (user.id().equals(deployment.requestedBy())) {
            return true;
        }
        ToolView tool = queries.query(new FindToolById(deployment.toolId()), ToolView.class).join();
        return tool != null && user.id().equals(tool.authorId());
    }
}
