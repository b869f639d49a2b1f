package org.mcpplatform.deployment;

import org.axonframework.queryhandling.QueryGateway;
import org.mcpplatform.web.ApiProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Makes a deployment command's result visible before its request returns: re-reads the read model every 20 ms until
 * it holds the deployment at the revision the command produced, at most the configured read-your-writes wait.
 * Deployments change a few times a minute, so polling costs nothing worth a notification channel, and it sees the
 * commits of every node's projection alike.
 */
@Component
public class DeploymentReadYourWrites {

    private static final Logger log = LoggerFactory.getLogger(DeploymentReadYourWrites.class);
    private static final long REREAD_MILLIS = 20;

    private final QueryGateway queries;
    private final ApiProperties properties;

    public DeploymentReadYourWrites(QueryGateway queries, ApiProperties properties) {
        this.queries = queries;
        this.properties = properties;
    }

    /** The deployment as of {@code revision} or later; if the projection lags, the newest the read model holds. */
    public Optional<DeploymentView> deployment(String deploymentId, long revision) {
        long deadline = System.nanoTime() + properties.readYourWritesWait().toNanos();
        DeploymentView stored = find(deploymentId);
        while (stored == null || stored.revision() < revision) {
            if (System.nanoTime() >= deadline) {
                log.warn("The deployment read model did not reach revision {} of deployment {} within {}",
                         revision, deploymentId, properties.readYourWritesWait());
                return Optional.ofNullable(stored);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(REREAD_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.ofNullable(stored);
            }
            stored = find(deploymentId);
        }
        return Optional.of(stored);
    }

    public DeploymentView find(String deploymentId) {
        return queries.query(new FindDeployment(deploymentId), DeploymentView.class).join();
    }
}
