package org.mcpplatform.deployment;

import org.mcpplatform.testserver.TestMcpServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Where the real MCP servers of the tests are, and specs that start them. */
final class TestServers {

    private TestServers() {
    }

    /** node_modules of mcp-servers/ at the repository root, or system property mcp.test.servers. */
    static Path nodeModules() {
        String configured = System.getProperty("mcp.test.servers");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("mcp-servers"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("No mcp-servers/ above " + Path.of("").toAbsolutePath()
                    + "; run npm ci in mcp-servers or set -Dmcp.test.servers");
        }
        return dir.resolve("mcp-servers/node_modules");
    }

    static String everythingScript() {
        return nodeModules().resolve("@modelcontextprotocol/server-everything/dist/index.js").toString();
    }

    static String supergatewayScript() {
        return nodeModules().resolve("supergateway/dist/index.js").toString();
    }

    static Path workingDir() {
        try {
            return Files.createTempDirectory("deployment-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static UpstreamSpec everything(Map<String, String> env) {
        String id = UUID.randomUUID().toString();
        return new UpstreamSpec(id, "tool-everything", "everything-" + id.substring(0, 8), UpstreamKind.STDIO,
                "node", List.of(everythingScript(), "stdio"), env, workingDir(), null, Map.of());
    }

    /** The Java SDK test server, started with the test JVM's java and classpath. */
    static UpstreamSpec javaServer(String... serverArgs) {
        List<String> argv = new ArrayList<>(TestMcpServer.command(serverArgs));
        String id = UUID.randomUUID().toString();
        return new UpstreamSpec(id, "tool-java", "java-" + id.substring(0, 8), UpstreamKind.STDIO,
                argv.get(0), argv.subList(1, argv.size()), Map.of(), workingDir(), null, Map.of());
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
