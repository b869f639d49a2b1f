package org.mcpplatform.deployment;

import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Brings back what ran before the platform stopped: every deployment still starting or running is restarted
 * ("platform restarted") once the application is ready. Its saga carries on from there (deadlines included).
 */
public class DeploymentRecovery {

    private static final Logger log = LoggerFactory.getLogger(DeploymentRecovery.class);

    private final QueryGateway queries;
    private final McpServerSupervisor supervisor;

    public DeploymentRecovery(QueryGateway queries, McpServerSupervisor supervisor) {
        this.queries = queries;
        this.supervisor = supervisor;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void onReady() {
        // off the main thread: readiness does not wait for the servers
        CompletableFuture.runAsync(this::recover);
    }

    void recover() {
        DeploymentList active;
        try {
            active = queries.query(new ListDeployments(null, true), DeploymentList.class).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            log.warn("The active deployments could not be listed, none is started again: {}", e.toString());
            return;
        }
        if (active == null || active.deployments() == null) {
            return;
        }
        for (DeploymentView deployment : active.deployments()) {
            if (deployment.status() != null && deployment.status().active() && !supervisor.alive(deployment.id())) {
                log.info("Starting deployment {} ({}) again after the platform restarted", deployment.id(),
                         deployment.slug());
                supervisor.restart(DeploymentTarget.of(deployment), "platform restarted");
            }
        }
    }
}
