package org.mcpplatform.deployment;

import org.mcpplatform.support.PlatformTest;
import org.springframework.test.context.TestPropertySource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The whole platform ({@link PlatformTest}) with the deployment supervisor and the gateway on fast settings: a health
 * check every second that gives up after one, a two-second stop grace and a two-second gateway request timeout. Every
 * class with this annotation shares one application (the same properties make the same cached context).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@PlatformTest
@TestPropertySource(properties = {
        "mcp.deployments.health-interval=1s",
        "mcp.deployments.health-timeout=1s",
        "mcp.deployments.stop-grace=2s",
        "mcp.deployments.data-dir=target/test-data/deployments",
        "mcp.gateway.request-timeout=2s"})
public @interface SupervisedPlatformTest {
}
