package org.mcpplatform.deployment;

import java.util.List;

public record DeploymentList(List<DeploymentView> deployments) {
}
