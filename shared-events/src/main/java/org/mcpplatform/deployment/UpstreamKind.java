package org.mcpplatform.deployment;

import com.fasterxml.jackson.annotation.JsonValue;

/** How the platform reaches a deployed server. */
public enum UpstreamKind {
    /** A child process the platform starts, spoken to over stdin/stdout. */
    STDIO("stdio"),
    /** A server elsewhere, reached over MCP Streamable HTTP. */
    STREAMABLE_HTTP("streamable-http"),
    /** A server elsewhere, reached over the older HTTP+SSE transport. */
    SSE("sse");

    private final String value;

    UpstreamKind(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }
}
