package org.mcpplatform.deployment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.Tools;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tools to deploy and the deployment requests of the tests. The supervisor that runs the servers is not what these
 * tests check, so the configs name processes that start but never finish an MCP handshake: a deployment stays
 * starting long enough to be looked at, and stopping it leaves nothing behind.
 */
final class Deployments {

    private Deployments() {
    }

    /** A node process that idles (node is on the default allow-list). */
    static ObjectNode idleNodeConfig() {
        return Tools.stdioConfig("node", "-e", "setInterval(() => {}, 1000)");
    }

    /** A shell (not on the allow-list) that waits for a line on stdin. */
    static ObjectNode shellConfig() {
        return Tools.stdioConfig("bash", "-c", "read line");
    }

    /** Registers a tool as the given user; answers its id. */
    static String registerTool(Api as, String slug, ObjectNode config) {
        Api.Response created = as.post("/api/v1/mcps", Tools.registration("Tool " + slug, slug, "1.0.0", config));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    static Api.Response deploy(Api as, String toolId) {
        return as.post("/api/v1/deployments", Map.of("tool_id", toolId));
    }

    /** Deploys and checks the 202; answers the deployment's JSON. */
    static com.fasterxml.jackson.databind.JsonNode deployed(Api as, String toolId) {
        Api.Response accepted = deploy(as, toolId);
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        return accepted.json();
    }
}
