package org.mcpplatform.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Accounts;
import org.mcpplatform.support.McpServers;
import org.mcpplatform.support.Tools;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.deployment.EndToEnd.apiKey;
import static org.mcpplatform.deployment.EndToEnd.awaitRunning;
import static org.mcpplatform.deployment.EndToEnd.call;
import static org.mcpplatform.deployment.EndToEnd.deploy;
import static org.mcpplatform.deployment.EndToEnd.register;
import static org.mcpplatform.deployment.EndToEnd.text;
import static org.mcpplatform.support.Tools.uniqueSlug;

/**
 * The second real server from npm, server-memory (a knowledge graph kept in a file): deployed with an env variable
 * from the tool's config, used through the gateway by two clients, and its state kept in the file the config names,
 * across a stop and a new deployment.
 */
@SupervisedPlatformTest
class MemoryServerDeploymentTest {

    @LocalServerPort
    int port;

    @Test
    void aMemoryServerKeepsWhatOneClientStoredForTheNextAndAcrossRedeployment() throws Exception {
        Accounts.Account developer = Accounts.create(port, "developer");
        Path memoryFile = Files.createTempDirectory(Path.of("target"), "memory-").toAbsolutePath()
                               .resolve("memory.jsonl");
        McpServers.Command memory = McpServers.memoryCommand();
        ObjectNode config = Tools.stdioConfig(memory.command(), memory.args().toArray(String[]::new));
        ((ObjectNode) config.get("mcpServers").get("main")).putObject("env")
                                                            .put("MEMORY_FILE_PATH", memoryFile.toString());
        String toolId = register(developer.api(), uniqueSlug("memory"), config);
        String key = apiKey(developer);

        String first = deploy(developer.api(), toolId);
        JsonNode running = awaitRunning(developer.api(), first);
        String endpoint = running.get("endpoint_url").asText();
        try (McpSyncClient writer = EndToEnd.withApiKey(endpoint, key);
             McpSyncClient reader = EndToEnd.withApiKey(endpoint, key)) {
            writer.initialize();
            reader.initialize();
            assertThat(writer.listTools().tools()).extracting(McpSchema.Tool::name)
                                                  .contains("create_entities", "read_graph", "search_nodes");
            McpSchema.CallToolResult created = call(writer, "create_entities", Map.of("entities", List.of(Map.of(
                    "name", "Ada Lovelace", "entityType", "person",
                    "observations", List.of("wrote the first program")))));
            assertThat(created.isError()).as(text(created)).isNotEqualTo(Boolean.TRUE);
            assertThat(text(call(reader, "search_nodes", Map.of("query", "Lovelace"))))
                    .contains("Ada Lovelace", "wrote the first program");
        }
        assertThat(developer.api().delete("/api/v1/deployments/" + first).status()).isEqualTo(200);
        EndToEnd.awaitGone(running.get("pid").asLong());
        assertThat(Files.readString(memoryFile)).contains("Ada Lovelace");

        String second = deploy(developer.api(), toolId);
        JsonNode again = awaitRunning(developer.api(), second);
        try (McpSyncClient client = EndToEnd.withApiKey(again.get("endpoint_url").asText(), key)) {
            client.initialize();
            assertThat(text(call(client, "read_graph", Map.of()))).contains("Ada Lovelace");
        } finally {
            developer.api().delete("/api/v1/deployments/" + second);
        }
    }
}
