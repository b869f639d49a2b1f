package org.mcpplatform.deployment;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The npm test servers: system property {@code mcp.test.servers} (a node_modules folder), or
 * {@code <repository root>/mcp-servers/node_modules}.
 */
final class McpTestServers {

    private McpTestServers() {
    }

    static Path nodeModules() {
        String configured = System.getProperty("mcp.test.servers");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("mcp-servers").resolve("node_modules");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("No mcp-servers/node_modules above " + Path.of("").toAbsolutePath()
                                                + ": run npm ci in mcp-servers, or set -Dmcp.test.servers");
    }

    /** server-everything's entry script, run as {@code node <script> stdio}. */
    static String everything() {
        Path script = nodeModules().resolve("@modelcontextprotocol/server-everything/dist/index.js");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("server-everything is not installed at " + script);
        }
        return script.toString();
    }
}
