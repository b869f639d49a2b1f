package org.mcpplatform.deployment;

import org.axonframework.queryhandling.QueryHandler;

/** Answers deployment queries from mcp_deployments. */
public class DeploymentQueries {

    private final DeploymentReadRepository repository;

    public DeploymentQueries(DeploymentReadRepository repository) {
        this.repository = repository;
    }

    /** The deployment, whatever its status; null if the read model does not hold it (yet). */
    @QueryHandler
    public DeploymentView handle(FindDeployment query) {
        return repository.findById(query.deploymentId()).orElse(null);
    }

    /** {@code requestedBy}: the deployments that user requested or whose tool the user owns. */
    @QueryHandler
    public DeploymentList handle(ListDeployments query) {
        return new DeploymentList(repository.list(query.requestedBy(), query.activeOnly()));
    }
}
