package org.mcpplatform.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Accounts;
import org.mcpplatform.support.Tools;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.deployment.EndToEnd.awaitDeployment;
import static org.mcpplatform.deployment.EndToEnd.deploy;
import static org.mcpplatform.deployment.EndToEnd.register;
import static org.mcpplatform.support.Tools.uniqueSlug;

/**
 * A server that cannot start (it exits with code 3 before it answers initialize) is restarted after a growing
 * back-off, and its fifth failure within the failure window fails the deployment, saying why. The restart settings
 * are fast here (a 200 ms initial back-off, deadlines looked for every 200 ms): one application of its own, otherwise
 * the {@link SupervisedPlatformTest} settings.
 */
@SupervisedPlatformTest
@TestPropertySource(properties = {
        "mcp.deployments.restart.initial-backoff=200ms",
        "mcp.deadlines.poll-interval=200ms"})
class FailingServerTest {

    @LocalServerPort
    int port;
    @Autowired
    EventStore eventStore;
    @Autowired
    SupervisorProperties properties;

    private final List<Runnable> cleanup = new ArrayList<>();

    @AfterEach
    void stopDeployments() {
        cleanup.forEach(Runnable::run);
    }

    @Test
    void aServerThatCannotStartIsRestartedWithBackOffAndFailsOnItsFifthFailure() {
        SupervisorProperties.Restart restart = properties.restart();
        assertThat(restart.initialBackoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(restart.maxFailures()).isEqualTo(5);

        Accounts.Account developer = Accounts.create(port, "developer");
        String slug = uniqueSlug("crashing");
        // the slug in a comment marks its processes, to look for them in the process table
        String script = "process.exit(3) /* " + slug + " */";
        String toolId = register(developer.api(), slug, Tools.stdioConfig("node", "-e", script));
        String deploymentId = deploy(developer.api(), toolId);
        cleanup.add(() -> developer.api().delete("/api/v1/deployments/" + deploymentId));

        JsonNode failed = awaitDeployment(developer.api(), deploymentId, "failed",
                                          d -> "failed".equals(d.path("status").asText()));

        String lastError = failed.get("last_error").asText();
        assertThat(lastError).as("why it failed").contains("failed 5 times").contains("could not be started")
                             .contains("exited with code 3").doesNotContain("refused");
        assertThat(failed.get("restarts").asInt()).as("restarts before the fifth failure gave up").isEqualTo(4);
        assertThat(failed.get("pid").isNumber()).as("pid of a server that never ran: " + failed.get("pid")).isFalse();

        // the event history: five failed checks, a restart after each of the first four, each after its back-off
        List<DomainEventMessage<?>> history = eventStore.readEvents(deploymentId).asStream()
                .<DomainEventMessage<?>>map(e -> e).toList();
        List<DomainEventMessage<?>> failures = history.stream()
                .filter(e -> e.getPayload() instanceof HealthRecorded health && !health.healthy()).toList();
        List<DomainEventMessage<?>> restarts = history.stream()
                .filter(e -> e.getPayload() instanceof DeploymentRestarted).toList();
        assertThat(failures).hasSize(5);
        assertThat(failures).allSatisfy(e -> assertThat(((HealthRecorded) e.getPayload()).error())
                .contains("could not be started").contains("code 3"));
        assertThat(restarts).hasSize(4);
        assertThat(restarts).extracting(e -> ((DeploymentRestarted) e.getPayload()).restarts())
                            .containsExactly(1, 2, 3, 4);
        assertThat(history).filteredOn(e -> e.getPayload() instanceof DeploymentStarted).isEmpty();
        assertThat(history).filteredOn(e -> e.getPayload() instanceof DeploymentFailed).hasSize(1);
        Duration backOff = restart.initialBackoff();
        for (int i = 0; i < 4; i++) {
            Duration waited = Duration.between(failures.get(i).getTimestamp(), restarts.get(i).getTimestamp());
            assertThat(waited).as("the wait before restart " + (i + 1)).isGreaterThanOrEqualTo(backOff);
            backOff = backOff.multipliedBy(2);
        }

        // nothing of it runs any more (each attempt exited by itself; a failed deployment starts no new one)
        EndToEnd.sleep(restart.initialBackoff().multipliedBy(4).toMillis());
        assertThat(ProcessHandle.allProcesses()
                                .filter(p -> p.info().commandLine().map(line -> line.contains(slug)).orElse(false))
                                .filter(ProcessHandle::isAlive)
                                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")))
                .as("processes of the failed deployment").isEmpty();
        assertThat(EndToEnd.deployment(developer.api(), deploymentId).get("status").asText()).isEqualTo("failed");
        assertThat(eventStore.readEvents(deploymentId).asStream().count()).as("nothing happened after it failed")
                                                                      .isEqualTo(history.size());
    }
}
