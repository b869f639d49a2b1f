package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.mcpplatform.eventstore.EventStoreConnection;
import org.mcpplatform.identity.AdminBootstrap;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.ToolGenerators.NewTool;
import org.mcpplatform.support.ToolGenerators.ToolChange;
import org.mcpplatform.support.ToolStores;
import org.mcpplatform.support.ToolStores.ToolRowView;
import org.quicktheories.QuickTheory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

/** What the property tests share: the API, the stores behind it, and a model of what a tool should hold. */
abstract class ToolPropertySupport {

    /** Examples per property: at least 100, as the seed's testing strategy asks. */
    static final int EXAMPLES = 100;
    /** A failing example is shrunk, but every shrink step is HTTP round trips: bounded so a failure reports fast. */
    static final int SHRINK_CYCLES = 40;

    @LocalServerPort
    int port;
    @Autowired
    DataSource dataSource;
    @Autowired
    EventStoreConnection eventStore;

    Api api;
    ToolStores stores;

    @BeforeEach
    void connect() {
        api = new Api(port);
        stores = new ToolStores(dataSource, eventStore);
    }

    static QuickTheory properties() {
        return qt().withExamples(EXAMPLES).withShrinkCycles(SHRINK_CYCLES);
    }

    /** A tool as it should be, after the commands so far. */
    record Expected(String id, String name, String slug, String description, String version, JsonNode config,
                    String status, long revision, boolean deleted) {

        static Expected registered(String id, String slug, NewTool tool) {
            return new Expected(id, tool.name(), slug, emptyToNull(tool.description()), tool.version(),
                                tool.config(), "draft", 1, false);
        }

        /** The tool after {@code change}; the same tool (same revision) when the change changes nothing. */
        Expected after(ToolChange change) {
            String newName = change.name() != null ? change.name() : name;
            String newDescription = change.clearDescription() ? null
                    : change.description() != null ? emptyToNull(change.description()) : description;
            String newVersion = change.version() != null ? change.version() : version;
            JsonNode newConfig = change.config() != null ? change.config() : config;
            boolean changed = !newName.equals(name) || !java.util.Objects.equals(newDescription, description)
                    || !newVersion.equals(version) || !newConfig.equals(config);
            return changed
                    ? new Expected(id, newName, slug, newDescription, newVersion, newConfig, status, revision + 1,
                                   deleted)
                    : this;
        }

        Expected withStatus(String newStatus) {
            return newStatus.equals(status) ? this
                    : new Expected(id, name, slug, description, version, config, newStatus, revision + 1, deleted);
        }

        Expected asDeleted() {
            return new Expected(id, name, slug, description, version, config, status, revision + 1, true);
        }

        private static String emptyToNull(String text) {
            return text == null || text.isEmpty() ? null : text;
        }
    }

    /** Registers the tool under a fresh slug; fails the example unless the API answers 201. */
    Expected register(NewTool tool) {
        String slug = tool.freshSlug();
        Api.Response created = api.post("/api/v1/mcps", tool.body(slug));
        assertThat(created.status()).as("POST %s -> %s", tool, created.text()).isEqualTo(201);
        return Expected.registered(created.json().get("id").asText(), slug, tool);
    }

    /** The mcp_tools row holds exactly the expected state. */
    ToolRowView assertRowMatches(Expected expected) {
        ToolRowView row = stores.row(expected.id()).orElseThrow(
                () -> new AssertionError("no mcp_tools row for " + expected.id()));
        assertThat(row.name()).as("name").isEqualTo(expected.name());
        assertThat(row.slug()).as("slug").isEqualTo(expected.slug());
        assertThat(row.description()).as("description").isEqualTo(expected.description());
        assertThat(row.version()).as("version").isEqualTo(expected.version());
        assertThat(row.config()).as("config").isEqualTo(expected.config());
        assertThat(row.authorId()).as("author_id").isEqualTo(AdminBootstrap.FIRST_ADMIN_ID);
        assertThat(row.status()).as("status").isEqualTo(expected.status());
        assertThat(row.revision()).as("revision").isEqualTo(expected.revision());
        assertThat(row.deletedAt() != null).as("deleted_at set").isEqualTo(expected.deleted());
        assertThat(row.updatedAt()).as("updated_at").isAfterOrEqualTo(row.createdAt());
        return row;
    }

    /** The API's representation of the tool holds exactly the expected state. */
    static void assertResponseMatches(JsonNode tool, Expected expected) {
        assertThat(tool.get("id").asText()).isEqualTo(expected.id());
        assertThat(tool.get("name").asText()).as("name").isEqualTo(expected.name());
        assertThat(tool.get("slug").asText()).as("slug").isEqualTo(expected.slug());
        assertThat(tool.get("description").isNull() ? null : tool.get("description").asText()).as("description")
                                                                                              .isEqualTo(expected.description());
        assertThat(tool.get("version").asText()).as("version").isEqualTo(expected.version());
        assertThat(tool.get("config")).as("config").isEqualTo(expected.config());
        assertThat(tool.get("status").asText()).as("status").isEqualTo(expected.status());
        assertThat(tool.get("author_id").asText()).isEqualTo(AdminBootstrap.FIRST_ADMIN_ID);
    }

    static ObjectNode object() {
        return Api.JSON.createObjectNode();
    }
}
