package org.mcpplatform.deployment;

import java.util.List;
import java.util.Optional;

/** The upstreams running on this node, by slug: what the gateway routes /mcp/{slug} to. */
public interface Upstreams {

    /** The running upstream serving {@code slug}, if its deployment runs here. */
    Optional<Upstream> bySlug(String slug);

    /** The last lines the deployment's process wrote to stderr, oldest first (empty for remote servers). */
    List<String> stderr(String deploymentId);
}
