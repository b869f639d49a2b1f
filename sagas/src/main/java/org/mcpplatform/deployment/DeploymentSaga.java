package org.mcpplatform.deployment;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * The life of one deployment, from its request to its stop or failure: asks the supervisor to start the server,
 * restarts it when it died or turned unhealthy (after the {@link RestartPolicy}'s back-off, as a deadline that
 * outlives a restart of the platform), fails the deployment when it does not start in time or keeps failing, blocks
 * tools whose definitions changed until they are approved, and stops the server when the deployment ends.
 * <p>
 * Its state is serialized into the saga store (JSON): the services it uses are transient and injected.
 */
@Saga
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class DeploymentSaga {

    /** The saga's processor (Axon's default name for it), configured in {@link SupervisorConfiguration}. */
    public static final String PROCESSOR = "DeploymentSagaProcessor";
    static final String RESTART = "deployment-restart";
    static final String START_TIMEOUT = "deployment-start-timeout";

    private static final Logger log = LoggerFactory.getLogger(DeploymentSaga.class);

    private DeploymentTarget target;
    private RestartPolicy policy = new RestartPolicy();
    /** Whether the current server answered (DeploymentStarted since the last request or restart). */
    private boolean started;
    private boolean restartPending;
    private String lastError;
    private Set<String> blocked = new TreeSet<>();

    @Autowired
    private transient McpServerSupervisor supervisor;
    @Autowired
    private transient DeadlineManager deadlines;
    @Autowired
    private transient SystemCommands commands;
    @Autowired
    private transient SupervisorProperties properties;

    /** A restart the back-off delayed. */
    public record RestartDue(String reason) {
    }

    /** The server had until now to answer. */
    public record StartTimedOut(String timeout) {
    }

    @StartSaga
    @SagaEventHandler(associationProperty = "deploymentId")
    public void on(DeploymentRequested event) {
        target = DeploymentTarget.of(event);
        expectStart();
        supervisor.start(target);
    }

    @SagaEventHandler(associationProperty = "deploymentId")
    public void on(DeploymentStarted event, @Timestamp Instant at) {
        started = true;
        deadlines.cancelAllWithinScope(START_TIMEOUT);
        policy.running(at);
    }

    @SagaEventHandler(associationProperty = "deploymentId")
    public void on(HealthRecorded event, @Timestamp Instant at) {
        if (event.healthy()) {
            policy.running(at);
            return;
        }
        lastError = event.error();
        // a failed ping counts once the deployment is unhealthy; a dead or unstartable server at once. While a restart
        // is due or under way, reports about the old server are stale.
        boolean down = event.healthStatus() == HealthStatus.UNHEALTHY || !supervisor.alive(event.deploymentId());
        if (restartPending || !down) {
            return;
        }
        RestartPolicy.Decision decision = policy.failed(at, properties.restart());
        if (decision instanceof RestartPolicy.Restart restart) {
            restartPending = true;
            log.info("Deployment {} failed ({}); restarting in {}", target.deploymentId(), event.error(),
                     restart.delay());
            deadlines.schedule(restart.delay(), RESTART, new RestartDue(event.error()));
        } else if (decision instanceof RestartPolicy.GiveUp giveUp) {
            commands.send(new FailDeployment(target.deploymentId(),
                                             "The server failed " + giveUp.failures() + " times within "
                                                     + readable(giveUp.window()) + "; the last failure: "
                                                     + event.error()));
        }
    }

    @DeadlineHandler(deadlineName = RESTART)
    public void on(RestartDue due) {
        restartPending = false;
        supervisor.restart(target, due.reason() == null ? "The server failed" : due.reason());
    }

    /** A new server is starting (the saga's restart, or the platform's after it started again). */
    @SagaEventHandler(associationProperty = "deploymentId")
    public void on(DeploymentRestarted event) {
        // a restart that was due is moot now
        deadlines.cancelAllWithinScope(RESTART);
        restartPending = false;
        expectStart();
        if (!blocked.isEmpty()) {
            supervisor.block(target.deploymentId(), blocked);
        }
    }

    @DeadlineHandler(deadlineName = START_TIMEOUT)
    public void on(StartTimedOut timedOut) {
        if (!started) {
            commands.send(new FailDeployment(target.deploymentId(),
                                             "The server did not start within " + timedOut.timeout()
                                                     + (lastError == null ? "" : "; the last failure: " + lastError)));
        }
    }

    @SagaEventHandler(associationProperty = "deploymentId")
    public void on(ToolDefinitionsChanged event) {
        blocked = new TreeSet<>();
        for (ToolDefinitionChange change : event.changes()) {
            if (change.kind() != ToolDefinitionChange.Kind.REMOVED) {
                blocked.add(change.name());
            }
        }
        supervisor.block(target.deploymentId(), blocked);
    }

    @SagaEventHandler(associationProperty = "deploymentId")
    public void on(ToolDefinitionsApproved event) {
        blocked = new TreeSet<>();
        supervisor.block(target.deploymentId(), Set.of());
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "deploymentId")
    public void on(DeploymentStopped event) {
        end();
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "deploymentId")
    public void on(DeploymentFailed event) {
        end();
    }

    private void expectStart() {
        started = false;
        deadlines.cancelAllWithinScope(START_TIMEOUT);
        deadlines.schedule(properties.startTimeout(), START_TIMEOUT,
                           new StartTimedOut(properties.startTimeout().toString()));
    }

    private void end() {
        deadlines.cancelAllWithinScope(RESTART);
        deadlines.cancelAllWithinScope(START_TIMEOUT);
        supervisor.stop(target.deploymentId());
    }

    /** "10 minutes", "90 seconds": for messages people read, unlike Duration's PT10M. */
    static String readable(java.time.Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 3600 == 0 && seconds > 0) {
            return seconds / 3600 + (seconds == 3600 ? " hour" : " hours");
        }
        if (seconds % 60 == 0 && seconds > 0) {
            return seconds / 60 + (seconds == 60 ? " minute" : " minutes");
        }
        return duration.toMillis() % 1000 == 0 ? seconds + " seconds" : duration.toMillis() + " ms";
    }
}
