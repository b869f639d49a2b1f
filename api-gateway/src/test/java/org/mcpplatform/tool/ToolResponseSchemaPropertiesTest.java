package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformTest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.support.ToolGenerators.newTools;
import static org.mcpplatform.support.ToolGenerators.toolChanges;
import static org.quicktheories.generators.Generate.pick;

/** Every successful answer of the tool API has the documented shape, whatever the tool holds. */
@PlatformTest
class ToolResponseSchemaPropertiesTest extends ToolPropertySupport {

    private static final Pattern UUID_FORM =
            Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
    private static final Pattern ETAG = Pattern.compile("^\"[1-9][0-9]*\"$");
    /** The seed's MCPTool, snake_case; nothing internal (revision, deleted_at) leaks. */
    private static final Set<String> TOOL_FIELDS = Set.of("id", "name", "slug", "description", "version", "config",
                                                          "author_id", "status", "created_at", "updated_at");
    private static final Set<String> PAGE_FIELDS = Set.of("items", "total", "page", "page_size", "pages");
    private static final Set<String> HISTORY_FIELDS = Set.of("version", "tool_version", "change_type", "changed_by",
                                                             "changed_at", "config", "diff");

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void assertJson(Api.Response response, int status) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.header("X-Request-ID")).isNotBlank();
    }

    private static void assertTool(JsonNode tool) {
        assertThat(tool.isObject()).isTrue();
        assertThat(fieldNames(tool)).containsExactlyInAnyOrderElementsOf(TOOL_FIELDS);
        assertThat(tool.get("id").asText()).matches(UUID_FORM);
        assertThat(tool.get("author_id").asText()).matches(UUID_FORM);
        for (String text : List.of("name", "slug", "version")) {
            assertThat(tool.get(text).isTextual()).as(text).isTrue();
        }
        assertThat(tool.get("slug").asText()).matches("^[a-z0-9-]+$");
        assertThat(tool.get("version").asText()).matches("^\\d+\\.\\d+\\.\\d+$");
        assertThat(tool.get("description").isTextual() || tool.get("description").isNull()).isTrue();
        assertThat(tool.get("config").isObject()).isTrue();
        assertThat(tool.get("config").get("mcpServers").isObject()).isTrue();
        assertThat(tool.get("status").asText()).isIn("draft", "active", "deprecated");
        Instant created = Instant.parse(tool.get("created_at").asText());
        Instant updated = Instant.parse(tool.get("updated_at").asText());
        assertThat(updated).isAfterOrEqualTo(created);
    }

    private static void assertToolAnswer(Api.Response response, int status) {
        assertJson(response, status);
        assertThat(response.etag()).matches(ETAG);
        assertTool(response.json());
    }

    private static void assertPage(JsonNode page) {
        assertThat(fieldNames(page)).containsExactlyInAnyOrderElementsOf(PAGE_FIELDS);
        assertThat(page.get("items").isArray()).isTrue();
        for (String number : List.of("total", "page", "page_size", "pages")) {
            assertThat(page.get(number).isIntegralNumber()).as(number).isTrue();
            assertThat(page.get(number).asLong()).as(number).isNotNegative();
        }
        page.get("items").forEach(ToolResponseSchemaPropertiesTest::assertTool);
    }

    private static void assertHistory(JsonNode history) {
        assertThat(history.isArray()).isTrue();
        assertThat(history.size()).isPositive();
        history.forEach(entry -> {
            assertThat(fieldNames(entry)).containsExactlyInAnyOrderElementsOf(HISTORY_FIELDS);
            assertThat(entry.get("version").isIntegralNumber()).isTrue();
            assertThat(entry.get("tool_version").asText()).matches("^\\d+\\.\\d+\\.\\d+$");
            assertThat(entry.get("change_type").asText()).isIn("create", "update", "status", "delete", "revert");
            assertThat(entry.get("changed_by").asText()).matches(UUID_FORM);
            Instant.parse(entry.get("changed_at").asText());
            assertThat(entry.get("config").isObject()).isTrue();
            assertThat(entry.get("diff").isArray()).as("diff is an RFC 6902 patch").isTrue();
            entry.get("diff").forEach(operation -> {
                assertThat(operation.get("op").asText()).isIn("add", "remove", "replace", "move", "copy", "test");
                assertThat(operation.get("path").isTextual()).isTrue();
            });
        });
    }

    // Property 37: Response Schema Consistency
    @Test
    void everySuccessfulAnswerHasTheDocumentedShape() {
        properties().forAll(newTools(), toolChanges(), pick(List.of("draft", "active"))).checkAssert(
                (tool, change, status) -> {
                    String slug = tool.freshSlug();
                    Api.Response created = api.post("/api/v1/mcps", tool.body(slug));
                    assertToolAnswer(created, 201);
                    String path = "/api/v1/mcps/" + created.json().get("id").asText();
                    assertToolAnswer(api.get(path), 200);
                    assertToolAnswer(api.get("/api/v1/mcps/by-slug/" + slug), 200);

                    ObjectNode body = change.body();
                    body.put("status", status);
                    assertToolAnswer(api.patch(path, body), 200);
                    assertToolAnswer(api.post(path + "/revert", object().put("version", 1)), 200);
                    assertToolAnswer(api.get(path + "?as_of=" + Instant.now().plusSeconds(1)), 200);

                    Api.Response page = api.get("/api/v1/mcps?q=" + slug.substring(Math.max(0, slug.length() - 60))
                                                        + "&page_size=5");
                    assertJson(page, 200);
                    assertPage(page.json());
                    assertThat(page.json().get("total").asLong()).isEqualTo(1);

                    Api.Response history = api.get(path + "/history");
                    assertJson(history, 200);
                    assertHistory(history.json());

                    Api.Response deleted = api.delete(path);
                    assertThat(deleted.status()).isEqualTo(204);
                    assertThat(deleted.text()).isEmpty();
                    assertHistory(api.get(path + "/history").json());
                });
    }
}
