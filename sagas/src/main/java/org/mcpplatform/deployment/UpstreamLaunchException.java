package org.mcpplatform.deployment;

import java.util.List;

/**
 * A server could not be started or reached, or did not complete the MCP handshake in time. The message says why in
 * words fit for an admin (no env values, no headers); {@link #stderr()} holds what a child wrote before it failed.
 */
public class UpstreamLaunchException extends RuntimeException {

    private final List<String> stderr;

    public UpstreamLaunchException(String message, List<String> stderr, Throwable cause) {
        super(message, cause);
        this.stderr = List.copyOf(stderr);
    }

    /** The child's last stderr lines (empty for a remote server). */
    public List<String> stderr() {
        return stderr;
    }
}
