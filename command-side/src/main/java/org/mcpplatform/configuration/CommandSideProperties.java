package org.mcpplatform.configuration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.mcpplatform.deployment.DeploymentProperties;
import org.mcpplatform.eventstore.EventStoreProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the command side, one section per feature, bound from {@code mcp.*} and validated as a whole when
 * the platform starts. application.yml maps each setting to an environment variable and holds its default; README.md
 * lists them. A section's record lives beside the code it configures, which receives the section as a bean
 * ({@link CommandSideConfiguration}). A new setting is a component of its section, a line in application.yml and a
 * row in README.md.
 *
 * @param eventStore  {@code mcp.event-store.*}: the MongoDB event store
 * @param deployments {@code mcp.deployments.*}: what the command side decides about deployments (the sagas module
 *                    binds its own keys of the same prefix)
 */
@Validated
@ConfigurationProperties("mcp")
public record CommandSideProperties(@Valid @NotNull EventStoreProperties eventStore,
                                    @Valid @NotNull DeploymentProperties deployments) {
}
