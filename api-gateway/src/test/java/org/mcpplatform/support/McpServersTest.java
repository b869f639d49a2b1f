package org.mcpplatform.support;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The installed npm servers start and answer, directly over stdio and through supergateway. */
class McpServersTest {

    @Test
    void theBuildPointsTheTestsAtTheRepositorysServers() {
        assertThat(McpServers.nodeModules()).isEqualTo(repositoryRoot().resolve("mcp-servers/node_modules"));
        assertThat(McpServers.everythingCommand().args()).containsExactly(McpServers.everything().toString(), "stdio");
    }

    @Test
    void serverEverythingEchoesOverStdio() {
        var transport = new StdioClientTransport(McpServers.everythingCommand().serverParameters(),
                                                 McpJsonDefaults.getMapper());
        assertThat(echo(transport, "over stdio")).isEqualTo("Echo: over stdio");
    }

    @Test
    void supergatewayServesServerEverythingOverStreamableHttp() throws Exception {
        int port = freePort();
        Process gateway = new ProcessBuilder(McpServers.supergatewayCommand(McpServers.everythingCommand(), port).argv())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            awaitPort(port, Duration.ofSeconds(20));
            var transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port).build();
            assertThat(echo(transport, "through supergateway")).isEqualTo("Echo: through supergateway");
        } finally {
            gateway.destroy();
            gateway.onExit().get();
        }
    }

    private static String echo(McpClientTransport transport, String message) {
        try (McpSyncClient client = McpClient.sync(transport)
                .requestTimeout(Duration.ofSeconds(20))
                // the SDK's default validator needs networknt 2.x; the build pins 1.5.9 (see mcp-notes)
                .jsonSchemaValidator((schema, value) -> JsonSchemaValidator.ValidationResponse.asValid(null))
                .build()) {
            client.initialize();
            var result = client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", message)));
            return ((McpSchema.TextContent) result.content().get(0)).text();
        }
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (!dir.resolve("mcp-servers/package.json").toFile().isFile()) {
            dir = dir.getParent();
        }
        return dir;
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitPort(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (var ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("supergateway did not listen on " + port + " within " + timeout);
    }
}
