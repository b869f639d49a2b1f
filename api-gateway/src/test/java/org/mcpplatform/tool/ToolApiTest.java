package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.JsonPatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.eventstore.EventStoreConfiguration;
import org.mcpplatform.eventstore.EventStoreConnection;
import org.mcpplatform.identity.AdminBootstrap;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.support.Tools.registration;
import static org.mcpplatform.support.Tools.stdioConfig;
import static org.mcpplatform.support.Tools.uniqueSlug;

@PlatformTest
class ToolApiTest {

    @LocalServerPort
    int port;
    @Autowired
    EventStoreConnection eventStore;
    Api api;

    @BeforeEach
    void connect() {
        api = new Api(port);
    }

    private long storedEvents() {
        return eventStore.database().getCollection(EventStoreConfiguration.EVENTS).countDocuments();
    }

    private Api.Response register(String slug) {
        Api.Response created = api.post("/api/v1/mcps", registration(slug));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created;
    }

    @Test
    void registeringReturnsTheToolWithLocationETagAndTheLocalAdminAsAuthor() {
        String slug = uniqueSlug("create");
        Api.Response created = register(slug);
        JsonNode tool = created.json();
        assertThat(created.header("Location")).isEqualTo("/api/v1/mcps/" + tool.get("id").asText());
        assertThat(created.etag()).isEqualTo("\"1\"");
        assertThat(created.header("X-Request-ID")).isNotBlank();
        assertThat(tool.get("slug").asText()).isEqualTo(slug);
        assertThat(tool.get("status").asText()).isEqualTo("draft");
        assertThat(tool.get("author_id").asText()).isEqualTo(AdminBootstrap.FIRST_ADMIN_ID);
        assertThat(tool.get("config")).isEqualTo(registration(slug).get("config"));
        for (String field : List.of("id", "name", "slug", "description", "version", "config", "author_id", "status",
                                    "created_at", "updated_at")) {
            assertThat(tool.has(field)).as(field).isTrue();
        }

        Api.Response read = api.get(created.header("Location"));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(tool);
        Api.Response bySlug = api.get("/api/v1/mcps/by-slug/" + slug);
        assertThat(bySlug.json()).isEqualTo(tool);
    }

    @Test
    void readsYourWritesAndChangesETagWithEveryChange() {
        Api.Response created = register(uniqueSlug("ryw"));
        String id = created.json().get("id").asText();
        JsonNode config = created.json().get("config");
        for (int i = 1; i <= 5; i++) {
            Api.Response patched = api.patch("/api/v1/mcps/" + id, "{\"version\":\"1." + i + ".0\"}");
            assertThat(patched.status()).isEqualTo(200);
            assertThat(patched.etag()).isEqualTo("\"" + (i + 1) + "\"");
            Api.Response read = api.get("/api/v1/mcps/" + id);
            assertThat(read.json().get("version").asText()).isEqualTo("1." + i + ".0");
            assertThat(read.json().get("config")).as("an update without config keeps it").isEqualTo(config);
            assertThat(read.etag()).isEqualTo(patched.etag());
        }
        assertThat(api.get("/api/v1/mcps/" + id, "If-None-Match", "\"6\"").status()).isEqualTo(304);
    }

    @Test
    void anUpdateThatChangesNothingRecordsNothing() {
        ObjectNode body = registration(uniqueSlug("noop"));
        String id = api.post("/api/v1/mcps", body).json().get("id").asText();
        long before = storedEvents();
        ObjectNode same = body.deepCopy();
        same.remove("slug");
        Api.Response patched = api.patch("/api/v1/mcps/" + id, same);
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.etag()).isEqualTo("\"1\"");
        assertThat(api.patch("/api/v1/mcps/" + id, "{}").etag()).isEqualTo("\"1\"");
        assertThat(api.patch("/api/v1/mcps/" + id, "{\"status\":\"draft\"}").etag()).isEqualTo("\"1\"");
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void statusFollowsItsLifecycle() {
        String id = register(uniqueSlug("status")).json().get("id").asText();
        Api.Response skip = api.patch("/api/v1/mcps/" + id, "{\"status\":\"deprecated\"}");
        assertThat(skip.status()).isEqualTo(409);
        assertThat(skip.json().at("/error/code").asText()).isEqualTo("CONFLICT");
        assertThat(api.patch("/api/v1/mcps/" + id, "{\"status\":\"active\"}").json().get("status").asText())
                .isEqualTo("active");
        assertThat(api.patch("/api/v1/mcps/" + id, "{\"status\":\"deprecated\"}").json().get("status").asText())
                .isEqualTo("deprecated");
        assertThat(api.patch("/api/v1/mcps/" + id, "{\"status\":\"draft\"}").status()).isEqualTo(409);
        assertThat(api.patch("/api/v1/mcps/" + id, "{\"status\":\"active\"}").json().get("status").asText())
                .isEqualTo("active");
    }

    @Test
    void aDeletedToolIsGoneFromReadsButItsHistoryAndSlugRemain() {
        String slug = uniqueSlug("deleted");
        String id = register(slug).json().get("id").asText();
        Api.Response deleted = api.delete("/api/v1/mcps/" + id);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(api.get("/api/v1/mcps/" + id).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/mcps/by-slug/" + slug).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/mcps?q=" + slug).json().get("total").asLong()).isZero();
        assertThat(api.patch("/api/v1/mcps/" + id, "{\"name\":\"again\"}").status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/mcps/" + id).status()).isEqualTo(404);
        JsonNode history = api.get("/api/v1/mcps/" + id + "/history").json();
        assertThat(history).hasSize(2);
        assertThat(history.get(1).get("change_type").asText()).isEqualTo("delete");
        Api.Response again = api.post("/api/v1/mcps", registration(slug));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().at("/error/code").asText()).isEqualTo("SLUG_ALREADY_EXISTS");
    }

    @Test
    void historyOfThreeUpdatesAndARevertListsFiveEntriesWhoseDiffsReplayTheConfigs() {
        String id = register(uniqueSlug("history")).json().get("id").asText();
        List<ObjectNode> configs = new ArrayList<>();
        configs.add(stdioConfig("npx", "-y", "@modelcontextprotocol/server-memory"));
        configs.add(stdioConfig("npx", "-y", "@modelcontextprotocol/server-everything"));
        configs.add(stdioConfig("uvx", "mcp-server-fetch"));
        ObjectNode third = stdioConfig("uvx", "mcp-server-fetch", "--ignore-robots-txt");
        third.putArray("tools").addObject().put("name", "fetch").put("description", "Fetch a URL");
        configs.add(third);
        for (int i = 1; i <= 3; i++) {
            ObjectNode patch = Api.JSON.createObjectNode();
            patch.set("config", configs.get(i));
            patch.put("version", "1." + i + ".0");
            assertThat(api.patch("/api/v1/mcps/" + id, patch).status()).isEqualTo(200);
        }
        Api.Response reverted = api.post("/api/v1/mcps/" + id + "/revert", "{\"version\":2}");
        assertThat(reverted.status()).isEqualTo(200);
        assertThat(reverted.json().get("config")).isEqualTo(configs.get(1));

        JsonNode history = api.get("/api/v1/mcps/" + id + "/history").json();
        assertThat(history).hasSize(5);
        List<String> types = new ArrayList<>();
        JsonNode previous = null;
        for (int i = 0; i < 5; i++) {
            JsonNode entry = history.get(i);
            types.add(entry.get("change_type").asText());
            assertThat(entry.get("version").asLong()).isEqualTo(i + 1);
            assertThat(entry.get("changed_by").asText()).isEqualTo(AdminBootstrap.FIRST_ADMIN_ID);
            JsonNode rebuilt = JsonPatch.apply(entry.get("diff"),
                                               previous == null ? Api.JSON.nullNode() : previous);
            assertThat(rebuilt).isEqualTo(entry.get("config"));
            if (previous != null) {
                assertThat(Instant.parse(entry.get("changed_at").asText()))
                        .isAfterOrEqualTo(Instant.parse(history.get(i - 1).get("changed_at").asText()));
            }
            previous = entry.get("config");
        }
        assertThat(types).containsExactly("create", "update", "update", "update", "revert");
        assertThat(history.get(3).get("tool_version").asText()).isEqualTo("1.3.0");
        assertThat(history.get(4).get("config")).isEqualTo(configs.get(1));
    }

    @Test
    void asOfRebuildsTheToolAsItWasThen() throws InterruptedException {
        String id = register(uniqueSlug("asof")).json().get("id").asText();
        Thread.sleep(5);
        Instant between = Instant.now();
        Thread.sleep(5);
        api.patch("/api/v1/mcps/" + id, "{\"name\":\"Renamed\",\"version\":\"2.0.0\"}");
        JsonNode then = api.get("/api/v1/mcps/" + id + "?as_of=" + between).json();
        assertThat(then.get("name").asText()).startsWith("Tool ");
        assertThat(then.get("version").asText()).isEqualTo("1.0.0");
        JsonNode now = api.get("/api/v1/mcps/" + id + "?as_of=" + Instant.now().plusSeconds(1)).json();
        assertThat(now.get("name").asText()).isEqualTo("Renamed");
        assertThat(api.get("/api/v1/mcps/" + id + "?as_of=2000-01-01T00:00:00Z").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/mcps/" + id + "?as_of=yesterday").status()).isEqualTo(422);
    }

    @Test
    void ifMatchGuardsEveryChange() {
        String id = register(uniqueSlug("ifmatch")).json().get("id").asText();
        long before = storedEvents();
        Api.Response stale = api.patch("/api/v1/mcps/" + id, "{\"name\":\"x\"}", "If-Match", "\"7\"");
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.json().at("/error/code").asText()).isEqualTo("PRECONDITION_FAILED");
        assertThat(stale.etag()).isEqualTo("\"1\"");
        assertThat(api.delete("/api/v1/mcps/" + id, "If-Match", "\"2\"").status()).isEqualTo(412);
        assertThat(api.post("/api/v1/mcps/" + id + "/revert", "{\"version\":1}", "If-Match", "W/\"1\"").status())
                .isEqualTo(412);
        assertThat(storedEvents()).isEqualTo(before);
        Api.Response fresh = api.patch("/api/v1/mcps/" + id, "{\"name\":\"x\"}", "If-Match", "\"1\"");
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(fresh.etag()).isEqualTo("\"2\"");
    }

    @Test
    void badInputGetsTheDocumentedErrorAndWritesNothing() {
        String taken = uniqueSlug("taken");
        String id = register(taken).json().get("id").asText();
        long before = storedEvents();

        expectError(() -> api.post("/api/v1/mcps", registration("Tool", "Bad Slug", "1.0.0", stdioConfig("node"))),
                    422, "VALIDATION_ERROR", "slug");
        expectError(() -> api.post("/api/v1/mcps", registration("Tool", uniqueSlug("v"), "1.0", stdioConfig("node"))),
                    422, "VALIDATION_ERROR", "version");
        ObjectNode noConfig = registration(uniqueSlug("nocfg"));
        noConfig.remove("config");
        expectError(() -> api.post("/api/v1/mcps", noConfig), 422, "VALIDATION_ERROR", "config");
        ObjectNode badConfig = registration(uniqueSlug("badcfg"));
        badConfig.set("config", Api.JSON.createObjectNode().put("mcpServers", "not an object"));
        expectError(() -> api.post("/api/v1/mcps", badConfig), 422, "VALIDATION_ERROR", "config.mcpServers");
        expectError(() -> api.post("/api/v1/mcps", "{\"name\": \"x\", "), 400, "MALFORMED_JSON", null);
        String twoMegabytes = "{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        expectError(() -> api.post("/api/v1/mcps", twoMegabytes), 413, "PAYLOAD_TOO_LARGE", null);
        Api.Response duplicate = expectError(() -> api.post("/api/v1/mcps", registration(taken)), 409,
                                             "SLUG_ALREADY_EXISTS", null);
        assertThat(duplicate.json().at("/error/message").asText()).contains("slug already exists");
        expectError(() -> api.patch("/api/v1/mcps/" + id, "{\"name\":\"y\"}", "If-Match", "\"9\""), 412,
                    "PRECONDITION_FAILED", null);
        expectError(() -> api.get("/api/v1/mcps/8f0c6a8e-0000-4000-8000-000000000000"), 404, "NOT_FOUND", null);
        expectError(() -> api.patch("/api/v1/mcps/8f0c6a8e-0000-4000-8000-000000000000", "{\"name\":\"y\"}"), 404,
                    "NOT_FOUND", null);
        expectError(() -> api.patch("/api/v1/mcps/" + id, "{\"name\": 5}"), 422, "VALIDATION_ERROR", "name");
        expectError(() -> api.patch("/api/v1/mcps/" + id, "{\"colour\": \"red\"}"), 422, "VALIDATION_ERROR", "colour");
        expectError(() -> api.post("/api/v1/mcps/" + id + "/revert", "{\"version\": 9}"), 422, "VALIDATION_ERROR",
                    "version");
        expectError(() -> api.get("/api/v1/mcps?page_size=101"), 422, "VALIDATION_ERROR", "page_size");
        expectError(() -> api.get("/api/v1/mcps?sort=password,asc"), 422, "VALIDATION_ERROR", "sort");

        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void everyInvalidFieldIsReportedOnce() {
        ObjectNode body = registration("", "Bad Slug!", "one", stdioConfig("npx"));
        body.set("config", Api.JSON.createObjectNode());
        JsonNode errors = api.post("/api/v1/mcps", body).json().at("/error/details/errors");
        List<String> fields = new ArrayList<>();
        errors.forEach(error -> fields.add(error.get("field").asText()));
        assertThat(fields).contains("name", "slug", "version").doesNotHaveDuplicates();
        assertThat(fields).anyMatch(field -> field.startsWith("config"));
    }

    private Api.Response expectError(Supplier<Api.Response> request, int status, String code, String field) {
        Api.Response response = request.get();
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        JsonNode error = response.json().get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.has("details")).isTrue();
        assertThat(error.get("timestamp").asText()).isNotBlank();
        assertThat(error.get("request_id").asText()).isEqualTo(response.header("X-Request-ID"));
        assertThat(response.text()).doesNotContain("Exception").doesNotContain("at org.");
        if (field != null) {
            List<String> fields = new ArrayList<>();
            error.at("/details/errors").forEach(e -> fields.add(e.get("field").asText()));
            assertThat(fields).anyMatch(f -> f.equals(field) || f.startsWith(field + ".") || f.startsWith(field + "["));
        }
        return response;
    }
}
