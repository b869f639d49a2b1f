package org.mcpplatform.support;

import io.modelcontextprotocol.client.transport.ServerParameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real npm MCP servers the tests start, pinned in {@code mcp-servers/package.json} and installed by
 * {@code mcp-servers/install} ({@code npm ci}; the Maven build and {@code .ci/run} call it). The tests find them in
 * system property {@code mcp.test.servers} (surefire sets it to {@code <repository root>/mcp-servers/node_modules});
 * without it (a test started from an IDE) the nearest {@code mcp-servers/node_modules} above the working directory.
 */
public final class McpServers {

    public static final String PROPERTY = "mcp.test.servers";

    private static final String EVERYTHING = "@modelcontextprotocol/server-everything/dist/index.js";
    private static final String MEMORY = "@modelcontextprotocol/server-memory/dist/index.js";
    private static final String SUPERGATEWAY = "supergateway/dist/index.js";

    private McpServers() {
    }

    /**
     * A stdio server's command line, as a tool's config entry holds it.
     *
     * @param command the program, resolved on PATH
     * @param args    the rest of argv, absolute paths
     */
    public record Command(String command, List<String> args) {

        public Command {
            args = List.copyOf(args);
        }

        /** command and args in one list, for a {@link ProcessBuilder}. */
        public List<String> argv() {
            List<String> argv = new ArrayList<>();
            argv.add(command);
            argv.addAll(args);
            return argv;
        }

        /** The SDK's parameters for a {@code StdioClientTransport}. */
        public ServerParameters serverParameters() {
            return ServerParameters.builder(command).args(args).build();
        }

        /** {@code {"command": ..., "args": [...]}}: one entry of a tool config's {@code mcpServers}. */
        public Map<String, Object> configEntry() {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("command", command);
            entry.put("args", args);
            return entry;
        }

        /** The command line for {@code /bin/sh -c} (what supergateway's --stdio runs), every word single-quoted. */
        public String shellLine() {
            return String.join(" ", argv().stream().map(w -> "'" + w.replace("'", "'\\''") + "'").toList());
        }
    }

    /** server-everything (echo, get-env, trigger-long-running-operation, resources, prompts) over stdio. */
    public static Command everythingCommand() {
        return new Command("node", List.of(everything().toString(), "stdio"));
    }

    /**
     * server-memory (a knowledge graph) over stdio. Give it env {@code MEMORY_FILE_PATH} (an absolute path in a
     * test's temporary directory): without it the graph goes to a file inside node_modules, shared by every run.
     */
    public static Command memoryCommand() {
        return new Command("node", List.of(memory().toString()));
    }

    /**
     * supergateway in front of a stdio server: stateful Streamable HTTP at {@code http://127.0.0.1:port/mcp}, one
     * child per session.
     */
    public static Command supergatewayCommand(Command stdio, int port) {
        return new Command("node", List.of(supergateway().toString(), "--stdio", stdio.shellLine(),
                                           "--outputTransport", "streamableHttp", "--stateful",
                                           "--port", Integer.toString(port), "--logLevel", "none"));
    }

    public static Path everything() {
        return installed(EVERYTHING);
    }

    public static Path memory() {
        return installed(MEMORY);
    }

    public static Path supergateway() {
        return installed(SUPERGATEWAY);
    }

    /** The node_modules directory the servers are installed in (it need not exist yet). */
    public static Path nodeModules() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mcp-servers/package.json"))) {
                return dir.resolve("mcp-servers/node_modules");
            }
        }
        throw new IllegalStateException("No mcp-servers/package.json above " + Path.of("").toAbsolutePath()
                                                + " and no -D" + PROPERTY + ": cannot find the MCP test servers");
    }

    private static Path installed(String entry) {
        Path script = nodeModules().resolve(entry);
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("MCP test server not installed: " + script + " is missing. "
                                                    + "Run npm ci in mcp-servers (mcp-servers/install does it; "
                                                    + "mvn verify and .ci/run call that), or point -D" + PROPERTY
                                                    + " at a node_modules that has it.");
        }
        return script;
    }
}
