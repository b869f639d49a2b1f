package org.mcpplatform.configuration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.mcpplatform.deadline.DeadlineProperties;
import org.mcpplatform.deployment.SupervisorProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the sagas module, one section per feature, bound from {@code mcp.*} and validated as a whole when
 * the platform starts. application.yml maps each setting to an environment variable and holds its default; README.md
 * lists them. A section's record lives beside the code it configures, which receives the section as a bean
 * ({@link SagaConfiguration}). A new setting is a component of its section, a line in application.yml and a row in
 * README.md.
 *
 * @param deployments {@code mcp.deployments.*}: the supervisor of deployed servers and the restart policy (the
 *                    command side binds its own keys of the same prefix)
 * @param deadlines   {@code mcp.deadlines.*}: the deadline scheduler
 */
@Validated
@ConfigurationProperties("mcp")
public record SagaProperties(@Valid @NotNull SupervisorProperties deployments,
                             @Valid @NotNull DeadlineProperties deadlines) {
}
