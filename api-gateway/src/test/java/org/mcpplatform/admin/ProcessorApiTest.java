package org.mcpplatform.admin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Accounts;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.FailingToolProjectionHandler;
import org.mcpplatform.support.PlatformTest;
import org.mcpplatform.tool.ToolProjection;
import org.mcpplatform.tool.ToolUpdated;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.support.Tools.registration;
import static org.mcpplatform.support.Tools.uniqueSlug;

/**
 * The operators' endpoints over the event processors, against the whole platform: positions against the event
 * store's head, and a processing group's dead letters listed and retried through the API.
 * <p>
 * A handler of the tool projection's group fails on one description (as in ToolProjectionDeadLetterTest), which
 * gives this class an application context of its own.
 */
@PlatformTest
class ProcessorApiTest {

    private static final String POISON = "the operators' test handler fails on this description";

    @TestConfiguration
    static class FailingHandlerConfiguration {
        @Bean
        FailingToolProjectionHandler operatorsFailingHandler() {
            return new FailingToolProjectionHandler(POISON);
        }
    }

    @Autowired
    FailingToolProjectionHandler failingHandler;

    @LocalServerPort
    int port;
    @Autowired
    EventProcessingConfiguration processing;

    private static JsonNode await(Supplier<JsonNode> read, java.util.function.Predicate<JsonNode> done, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode last = read.get();
        while (!done.test(last)) {
            assertThat(System.nanoTime()).as(what + "; last read: " + last).isLessThan(deadline);
            Thread.sleep(50);
            last = read.get();
        }
        return last;
    }

    private static Map<String, JsonNode> byName(JsonNode processors) {
        Map<String, JsonNode> named = new HashMap<>();
        processors.forEach(processor -> named.put(processor.get("name").asText(), processor));
        return named;
    }

    private JsonNode processors(Api api) {
        Api.Response response = api.get("/api/v1/admin/processors");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    @Test
    void everyProcessorRunsAndCatchesUpWithTheHeadOnceAToolIsProjected() throws Exception {
        Api api = new Api(port);
        assertThat(api.post("/api/v1/mcps", registration(uniqueSlug("ops"))).status()).isEqualTo(201);
        List<String> expected = List.of(ToolProjection.PROCESSING_GROUP, "user-projection", "deployment-projection",
                                        "DeploymentSagaProcessor");

        JsonNode caughtUp = await(() -> processors(api), processors -> {
            Map<String, JsonNode> named = byName(processors);
            return expected.stream().allMatch(name -> named.containsKey(name)
                    && named.get(name).get("lag").asLong(-1) == 0);
        }, "the processors catch up with the head");

        Map<String, JsonNode> named = byName(caughtUp);
        for (String name : expected) {
            JsonNode processor = named.get(name);
            assertThat(processor.get("status").asText()).as(name).isEqualTo("running");
            assertThat(processor.get("head").asLong()).as(name).isPositive();
            assertThat(processor.get("position").asLong()).as(name).isEqualTo(processor.get("head").asLong());
            assertThat(processor.get("replaying").asBoolean()).as(name).isFalse();
            assertThat(processor.get("progress").isNull()).as(name).isTrue();
            JsonNode segments = processor.get("segments");
            assertThat(segments).as(name).isNotEmpty();
            JsonNode first = segments.get(0);
            assertThat(first.get("segment_id").asInt()).isZero();
            assertThat(first.get("claimed").asBoolean()).as(name).isTrue();
            assertThat(first.get("caught_up").asBoolean()).as(name).isTrue();
            assertThat(first.get("position").asLong()).as(name).isEqualTo(processor.get("position").asLong());
        }
        assertThat(named.get(ToolProjection.PROCESSING_GROUP).get("dead_letters").isNumber()).isTrue();
    }

    @Test
    void onlyAdministratorsSeeOrRetryTheProcessors() {
        Api developer = Accounts.create(port, "developer").api();
        for (Api.Response refused : List.of(
                developer.get("/api/v1/admin/processors"),
                developer.get("/api/v1/admin/processors/tool-projection/dead-letters"),
                developer.post("/api/v1/admin/processors/tool-projection/dead-letters/retry", "{}"))) {
            assertThat(refused.status()).as(refused.text()).isEqualTo(403);
            assertThat(refused.json().get("error").get("code").asText()).isEqualTo("FORBIDDEN");
        }
        assertThat(Api.anonymous(port).get("/api/v1/admin/processors").status()).isEqualTo(401);
    }

    @Test
    void anUnknownProcessorIsNotFound() {
        Api api = new Api(port);
        for (Api.Response missing : List.of(
                api.get("/api/v1/admin/processors/no-such-processor/dead-letters"),
                api.post("/api/v1/admin/processors/no-such-processor/dead-letters/retry", "{}"))) {
            assertThat(missing.status()).as(missing.text()).isEqualTo(404);
            JsonNode error = missing.json().get("error");
            assertThat(error.get("code").asText()).isEqualTo("NOT_FOUND");
            assertThat(error.get("details").get("resource_id").asText()).isEqualTo("no-such-processor");
            assertThat(error.get("request_id").asText()).isNotBlank();
        }
    }

    @Test
    void aProcessorWithoutParkedEventsHasAnEmptyListAndNothingToRetry() {
        Api api = new Api(port);
        Api.Response letters = api.get("/api/v1/admin/processors/user-projection/dead-letters");
        assertThat(letters.status()).as(letters.text()).isEqualTo(200);
        assertThat(letters.json().isArray()).isTrue();
        assertThat(letters.json()).isEmpty();
        Api.Response retried = api.post("/api/v1/admin/processors/user-projection/dead-letters/retry", "{}");
        assertThat(retried.status()).as(retried.text()).isEqualTo(200);
        assertThat(retried.json().get("retried").asLong()).isZero();
        assertThat(retried.json().get("remaining").asLong()).isZero();
    }

    @Test
    void aParkedEventIsListedAndAppliedByARetryOnceTheCauseIsGone() throws Exception {
        Api api = new Api(port);
        String tool = api.post("/api/v1/mcps", registration(uniqueSlug("ops-dlq"))).json().get("id").asText();
        assertThat(api.patch("/api/v1/mcps/" + tool, "{\"description\": \"" + POISON + "\"}").status())
                .isEqualTo(200);

        String path = "/api/v1/admin/processors/" + ToolProjection.PROCESSING_GROUP + "/dead-letters";
        JsonNode letters = await(() -> api.get(path).json(), list -> list.size() == 1, "the event is parked");
        JsonNode letter = letters.get(0);
        assertThat(letter.get("type").asText()).isEqualTo("ToolUpdated");
        assertThat(letter.get("aggregate_id").asText()).isEqualTo(tool);
        assertThat(letter.get("sequence_identifier").asText()).isNotBlank();
        assertThat(letter.get("event_id").asText()).isNotBlank();
        assertThat(letter.get("enqueued_at").asText()).isNotBlank();
        assertThat(letter.get("last_touched").asText()).isNotBlank();
        assertThat(letter.get("cause").get("type").asText()).isEqualTo(IllegalStateException.class.getName());
        assertThat(letter.get("cause").get("message").asText()).isEqualTo("simulated projection failure");
        assertThat(letter.get("diagnostics").isObject()).isTrue();
        assertThat(byName(processors(api)).get(ToolProjection.PROCESSING_GROUP).get("dead_letters").asLong())
                .isEqualTo(1);

        // while the cause is there, a retry parks the event again
        JsonNode failedAgain = api.post(path + "/retry", "{}").json();
        assertThat(failedAgain.get("retried").asLong()).isZero();
        assertThat(failedAgain.get("remaining").asLong()).isEqualTo(1);

        failingHandler.heal();
        Api.Response retried = api.post(path + "/retry", "{}");
        assertThat(retried.status()).as(retried.text()).isEqualTo(200);
        assertThat(retried.json().get("retried").asLong()).isEqualTo(1);
        assertThat(retried.json().get("remaining").asLong()).isZero();
        assertThat(api.get(path).json()).isEmpty();
        assertThat(api.get("/api/v1/mcps/" + tool).json().get("description").asText()).isEqualTo(POISON);
    }

    @Test
    void aStoppedProcessorIsStoppedAndAReplayShowsItsProgressUntilItEnds() throws Exception {
        Api api = new Api(port);
        String name = "deployment-projection";
        assertThat(api.post("/api/v1/mcps", registration(uniqueSlug("ops-replay"))).status()).isEqualTo(201);
        JsonNode before = byName(await(() -> processors(api),
                                       all -> byName(all).get(name).get("lag").asLong(-1) == 0,
                                       "the projection catches up")).get(name);
        long reached = before.get("position").asLong();

        TrackingEventProcessor processor =
                processing.eventProcessor(name, TrackingEventProcessor.class).orElseThrow();
        processor.shutDown();
        JsonNode stopped = byName(processors(api)).get(name);
        assertThat(stopped.get("status").asText()).isEqualTo("stopped");
        assertThat(stopped.get("position").isNull()).as("no segment claimed here: position unknown").isTrue();
        assertThat(stopped.get("segments").get(0).get("claimed").asBoolean()).isFalse();

        processor.resetTokens();
        processor.start();
        JsonNode replaying = byName(await(() -> processors(api), all -> {
            JsonNode progress = byName(all).get(name).get("progress");
            return progress.isObject() && progress.get("done").asLong() == progress.get("total").asLong();
        }, "the replay shows its progress up to the position reached before the reset")).get(name);
        assertThat(replaying.get("replaying").asBoolean()).isTrue();
        assertThat(replaying.get("segments").get(0).get("replaying").asBoolean()).isTrue();
        assertThat(replaying.get("progress").get("total").asLong()).isEqualTo(reached);
        // the rate is measured between reads at least 200 ms apart: first over the end of the replay...
        Thread.sleep(300);
        JsonNode measured = byName(processors(api)).get(name).get("progress");
        assertThat(measured.get("events_per_second").asDouble(-1)).isGreaterThanOrEqualTo(0);
        // ...then over a time in which nothing was replayed: 0 events per second, and no estimate
        Thread.sleep(300);
        JsonNode rate = byName(processors(api)).get(name).get("progress");
        assertThat(rate.get("events_per_second").asDouble(-1)).isZero();
        assertThat(rate.get("eta_seconds").isNull()).isTrue();

        // the replay ends with the first event past the reset position
        assertThat(api.post("/api/v1/mcps", registration(uniqueSlug("ops-after"))).status()).isEqualTo(201);
        await(() -> processors(api), all -> {
            JsonNode after = byName(all).get(name);
            return !after.get("replaying").asBoolean() && after.get("progress").isNull()
                    && after.get("lag").asLong(-1) == 0;
        }, "the replay ends");
    }
}
