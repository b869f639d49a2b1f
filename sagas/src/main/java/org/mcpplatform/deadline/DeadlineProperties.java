package org.mcpplatform.deadline;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/**
 * Deadlines of sagas ({@code mcp.deadlines.*}, a section of {@link org.mcpplatform.configuration.SagaProperties}).
 *
 * @param pollInterval how often due deadlines are looked for: a deadline fires up to this late (the scheduler's
 *                     default, 10 s, would stretch a 1 s back-off tenfold)
 */
public record DeadlineProperties(@NotNull @DurationMin(millis = 10) @DurationMax(minutes = 1) Duration pollInterval) {
}
