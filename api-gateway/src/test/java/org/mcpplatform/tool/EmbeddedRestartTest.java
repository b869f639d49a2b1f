package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcpplatform.support.EmbeddedPlatform;
import org.mcpplatform.support.Api;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mcpplatform.support.Tools.registration;
import static org.mcpplatform.support.Tools.uniqueSlug;

/**
 * The embedded default as a user runs it (event store in the in-process MongoDB on an H2 file, read model in an H2
 * file, cache in process, all under one data directory): stopped and started again, everything is still there.
 */
class EmbeddedRestartTest {

    @TempDir
    Path dataDir;

    private final List<ConfigurableApplicationContext> running = new ArrayList<>();

    @AfterEach
    void stopAll() {
        running.forEach(ConfigurableApplicationContext::close);
    }

    private ConfigurableApplicationContext start() {
        ConfigurableApplicationContext context = EmbeddedPlatform.start(dataDir);
        running.add(context);
        return context;
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    private void stop(ConfigurableApplicationContext context) {
        context.close();
        running.remove(context);
    }

    @Test
    void everythingIsStillThereAfterARestart() {
        String kept = uniqueSlug("kept");
        String deleted = uniqueSlug("deleted");
        ConfigurableApplicationContext first = start();
        Api api = api(first);
        String keptId = api.post("/api/v1/mcps", registration(kept)).json().get("id").asText();
        String deletedId = api.post("/api/v1/mcps", registration(deleted)).json().get("id").asText();
        assertThat(api.patch("/api/v1/mcps/" + keptId, "{\"version\":\"1.1.0\",\"status\":\"active\"}").status())
                .isEqualTo(200);
        assertThat(api.patch("/api/v1/mcps/" + keptId, "{\"description\":\"before the restart\"}").etag())
                .isEqualTo("\"4\"");
        assertThat(api.delete("/api/v1/mcps/" + deletedId).status()).isEqualTo(204);
        JsonNode keptBefore = api.get("/api/v1/mcps/" + keptId).json();
        JsonNode historyBefore = api.get("/api/v1/mcps/" + keptId + "/history").json();
        JsonNode deletedHistoryBefore = api.get("/api/v1/mcps/" + deletedId + "/history").json();
        JsonNode listBefore = api.get("/api/v1/mcps?page_size=100&sort=slug,asc").json();
        stop(first);
        assertThat(dataDir.resolve("eventstore.mv")).isNotEmptyFile();
        assertThat(dataDir.resolve("readmodel.mv.db")).isNotEmptyFile();

        ConfigurableApplicationContext second = start();
        api = api(second);
        Api.Response read = api.get("/api/v1/mcps/" + keptId);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.etag()).isEqualTo("\"4\"");
        assertThat(read.json()).isEqualTo(keptBefore);
        assertThat(api.get("/api/v1/mcps/by-slug/" + kept).json()).isEqualTo(keptBefore);
        assertThat(api.get("/api/v1/mcps?page_size=100&sort=slug,asc").json()).isEqualTo(listBefore);
        assertThat(api.get("/api/v1/mcps/" + keptId + "/history").json()).isEqualTo(historyBefore);

        assertThat(api.get("/api/v1/mcps/" + deletedId).status()).isEqualTo(404);
        Api.Response deletedHistory = api.get("/api/v1/mcps/" + deletedId + "/history");
        assertThat(deletedHistory.status()).isEqualTo(200);
        assertThat(deletedHistory.json()).isEqualTo(deletedHistoryBefore);

        Api.Response reuse = api.post("/api/v1/mcps", registration(deleted));
        assertThat(reuse.status()).isEqualTo(409);
        assertThat(reuse.json().at("/error/code").asText()).isEqualTo("SLUG_ALREADY_EXISTS");
        assertThat(api.post("/api/v1/mcps", registration(kept)).status()).isEqualTo(409);

        // changes go on from the revision the store holds: a stale If-Match fails, the current one succeeds
        assertThat(api.patch("/api/v1/mcps/" + keptId, "{\"description\":\"stale\"}", "If-Match", "\"3\"").status())
                .isEqualTo(412);
        Api.Response after = api.patch("/api/v1/mcps/" + keptId, "{\"description\":\"after the restart\"}",
                                       "If-Match", "\"4\"");
        assertThat(after.status()).as(after.text()).isEqualTo(200);
        assertThat(after.etag()).isEqualTo("\"5\"");
        assertThat(api.get("/api/v1/mcps/" + keptId).json().get("description").asText()).isEqualTo("after the restart");
        String fresh = uniqueSlug("fresh");
        assertThat(api.post("/api/v1/mcps", registration(fresh)).status()).isEqualTo(201);
    }

    @Test
    void aSecondInstanceOnTheSameDataDirectoryIsRefusedAndTheFirstKeepsWorking() {
        ConfigurableApplicationContext first = start();
        Api api = api(first);
        String id = api.post("/api/v1/mcps", registration(uniqueSlug("locked"))).json().get("id").asText();

        assertThatThrownBy(this::start)
                .hasStackTraceContaining("The event store " + dataDir.resolve("eventstore.mv").toAbsolutePath()
                                                 + " is in use by another running platform");

        assertThat(api.get("/api/v1/mcps/" + id).status()).isEqualTo(200);
        assertThat(api.patch("/api/v1/mcps/" + id, "{\"version\":\"1.0.1\"}").etag()).isEqualTo("\"2\"");
    }
}
