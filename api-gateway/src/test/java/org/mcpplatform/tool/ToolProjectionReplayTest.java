package org.mcpplatform.tool;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.support.Tools.registration;
import static org.mcpplatform.support.Tools.uniqueSlug;

/**
 * Rebuilding the tool projection from the events gives back the same table, row for row, and replayed events are not
 * counted again as changes. The whole table is compared, so this class has an application context of its own (the
 * property below only makes its configuration differ from the shared {@code @PlatformTest} context).
 */
@PlatformTest
@TestPropertySource(properties = "mcp.test.context=projection-replay")
class ToolProjectionReplayTest {

    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    @LocalServerPort
    int port;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    EventStorageEngine storageEngine;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;

    private List<Map<String, Object>> allRows() {
        return jdbc.queryForList("SELECT * FROM mcp_tools ORDER BY id");
    }

    /** mcp_tool_changes_total by its change tag. */
    private Map<String, Double> changeCounts() {
        Map<String, Double> counts = new TreeMap<>();
        for (Counter counter : meters.find("mcp_tool_changes_total").counters()) {
            counts.merge(counter.getId().getTag("change"), counter.count(), Double::sum);
        }
        return counts;
    }

    private String register(Api api, String slug) {
        Api.Response created = api.post("/api/v1/mcps", registration(slug));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    @Test
    void resettingTheProjectionRebuildsTheSameRowsAndDoesNotCountChangesAgain() throws Exception {
        Api api = new Api(port);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(register(api, uniqueSlug("replay")));
        }
        assertThat(api.patch("/api/v1/mcps/" + ids.get(0), "{\"description\":\"changed\",\"version\":\"1.1.0\"}")
                      .status()).isEqualTo(200);
        assertThat(api.patch("/api/v1/mcps/" + ids.get(1), "{\"status\":\"active\"}").status()).isEqualTo(200);
        assertThat(api.patch("/api/v1/mcps/" + ids.get(1), "{\"status\":\"deprecated\"}").status()).isEqualTo(200);
        assertThat(api.patch("/api/v1/mcps/" + ids.get(2),
                             "{\"config\":{\"mcpServers\":{\"x\":{\"url\":\"https://x.example.com/mcp\"}}}}")
                      .status()).isEqualTo(200);
        assertThat(api.post("/api/v1/mcps/" + ids.get(2) + "/revert", "{\"version\":1}").status()).isEqualTo(200);
        assertThat(api.delete("/api/v1/mcps/" + ids.get(3)).status()).isEqualTo(204);

        List<Map<String, Object>> before = allRows();
        assertThat(before).hasSize(5);
        Map<String, Double> countsBefore = changeCounts();
        assertThat(countsBefore.values().stream().mapToDouble(Double::doubleValue).sum())
                .as("changes counted live").isEqualTo(11);
        List<Api.Response> readsBefore = ids.stream().map(id -> api.get("/api/v1/mcps/" + id)).toList();

        // a row that no event accounts for: the reset must clear the table, so it must be gone afterwards
        jdbc.update("INSERT INTO mcp_tools (id, name, slug, version, config, author_id, status, revision, created_at, "
                            + "updated_at) VALUES ('ffffffff-ffff-4fff-8fff-ffffffffffff', 'stray', 'stray', '1.0.0', "
                            + "'{}', 'ffffffff-ffff-4fff-8fff-ffffffffffff', 'draft', 1, CURRENT_TIMESTAMP, "
                            + "CURRENT_TIMESTAMP)");

        TrackingEventProcessor processor =
                processing.eventProcessor(ToolProjection.PROCESSING_GROUP, TrackingEventProcessor.class).orElseThrow();
        processor.shutDown();
        processor.resetTokens();
        processor.start();

        // isReplaying() may stay true until a new event arrives; the position reaching the store head is the signal
        long head = storageEngine.createHeadToken().position().orElseThrow();
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (!caughtUp(processor, head) || !allRows().equals(before)) {
            if (System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(caughtUp(processor, head)).as("the processor reached position %d: %s", head,
                                                 processor.processingStatus()).isTrue();

        List<Map<String, Object>> after = allRows();
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            assertThat(after.get(i)).as("row %d, tool %s", i, before.get(i).get("id")).isEqualTo(before.get(i));
        }
        assertThat(changeCounts()).as("@DisallowReplay: replayed events are not changes").isEqualTo(countsBefore);
        for (int i = 0; i < ids.size(); i++) {
            Api.Response read = api.get("/api/v1/mcps/" + ids.get(i));
            assertThat(read.status()).as(ids.get(i)).isEqualTo(readsBefore.get(i).status());
            if (read.status() == 200) {
                assertThat(read.json()).as(ids.get(i)).isEqualTo(readsBefore.get(i).json());
                assertThat(read.etag()).isEqualTo(readsBefore.get(i).etag());
            }
        }

        // and the rebuilt projection goes on with new events, which count again
        String later = register(api, uniqueSlug("after-replay"));
        assertThat(api.get("/api/v1/mcps/" + later).status()).isEqualTo(200);
        assertThat(changeCounts().get("create")).isEqualTo(countsBefore.get("create") + 1);
    }

    private static boolean caughtUp(TrackingEventProcessor processor, long head) {
        Map<Integer, EventTrackerStatus> status = processor.processingStatus();
        return !status.isEmpty() && status.values().stream().allMatch(
                segment -> !segment.isErrorState() && segment.getCurrentPosition().orElse(-1) >= head);
    }
}
