package org.mcpplatform.deployment;

import com.fasterxml.jackson.annotation.JsonAutoDetect;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * When to restart a failed server, and when to give up: exponential back-off from the initial delay, doubling up to
 * the maximum, started over once the server was healthy long enough; the {@code maxFailures}th failure within the
 * failure window fails the deployment. Part of the saga's state (serialized with it), so times come in as arguments:
 * the event's or deadline's timestamp.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class RestartPolicy {

    /** Failures still inside the window, oldest first. */
    private List<Instant> failures = new ArrayList<>();
    /** The delay before the last restart; null when the next one waits the initial delay. */
    private Duration lastDelay;
    /** Since when the server has run without a failure; null while it is down or starting again. */
    private Instant healthySince;

    public sealed interface Decision {
    }

    /** Restart after {@code delay}. */
    public record Restart(Duration delay) implements Decision {
    }

    /** Too many failures: {@code failures} within {@code window}. */
    public record GiveUp(int failures, Duration window) implements Decision {
    }

    /** The server runs (it started, or a health check passed). */
    public void running(Instant now) {
        if (healthySince == null) {
            healthySince = now;
        }
    }

    /** The server failed (it exited, hung, or could not start): what to do about it. */
    public Decision failed(Instant now, SupervisorProperties.Restart settings) {
        if (healthySince != null && !now.isBefore(healthySince.plus(settings.healthyReset()))) {
            lastDelay = null;
        }
        healthySince = null;
        Instant windowStart = now.minus(settings.failureWindow());
        failures.removeIf(failure -> !failure.isAfter(windowStart));
        failures.add(now);
        if (failures.size() >= settings.maxFailures()) {
            return new GiveUp(failures.size(), settings.failureWindow());
        }
        Duration delay = lastDelay == null ? settings.initialBackoff() : lastDelay.multipliedBy(2);
        if (delay.compareTo(settings.maxBackoff()) > 0) {
            delay = settings.maxBackoff();
        }
        lastDelay = delay;
        return new Restart(delay);
    }
}
