package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.eventstore.EventStoreConfiguration;
import org.mcpplatform.eventstore.EventStoreConnection;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.support.Tools.registration;
import static org.mcpplatform.support.Tools.uniqueSlug;

/** Many clients changing the same thing at once: one winner per slug, no lost update, a read model that agrees. */
@PlatformTest
class ToolConcurrencyTest {

    @LocalServerPort
    int port;
    @Autowired
    EventStoreConnection eventStore;
    @Autowired
    EventStorageEngine storageEngine;
    @Autowired
    JdbcTemplate jdbc;
    Api api;

    @BeforeEach
    void connect() {
        api = new Api(port);
    }

    /** Runs {@code count} requests at once (released together) and returns their responses in request order. */
    private List<Api.Response> inParallel(int count, Function<Integer, Api.Response> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Api.Response>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit((Callable<Api.Response>) () -> {
                    start.await();
                    return request.apply(index);
                }));
            }
            start.countDown();
            List<Api.Response> responses = new ArrayList<>();
            for (Future<Api.Response> future : futures) {
                responses.add(future.get(90, TimeUnit.SECONDS));
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The tool's events as stored, read from the storage engine (no snapshot, no cache) in sequence order. */
    private List<? extends DomainEventMessage<?>> storedEventsOf(String toolId) {
        return storageEngine.readEvents(toolId).asStream().toList();
    }

    private long storedRegistrationsOf(String slug) {
        List<String> registeredTools = new ArrayList<>();
        eventStore.database().getCollection(EventStoreConfiguration.EVENTS)
                  .find(eq("payloadType", ToolRegistered.class.getName()))
                  .forEach((Document document) -> registeredTools.add(document.getString("aggregateIdentifier")));
        return registeredTools.stream()
                              .flatMap(toolId -> storedEventsOf(toolId).stream())
                              .map(DomainEventMessage::getPayload)
                              .filter(payload -> payload instanceof ToolRegistered registered
                                      && registered.slug().equals(slug))
                              .count();
    }

    @Test
    void fiftyConcurrentRegistrationsOfOneSlugCreateExactlyOneTool() throws Exception {
        String slug = uniqueSlug("race");
        List<Api.Response> responses = inParallel(50, i -> api.post("/api/v1/mcps", registration(slug)));

        List<Api.Response> created = responses.stream().filter(r -> r.status() == 201).toList();
        List<Api.Response> conflicts = responses.stream().filter(r -> r.status() == 409).toList();
        assertThat(created).as(responses.toString()).hasSize(1);
        assertThat(conflicts).as(responses.toString()).hasSize(49);
        assertThat(conflicts).allSatisfy(conflict -> assertThat(conflict.json().at("/error/code").asText())
                .isEqualTo("SLUG_ALREADY_EXISTS"));

        assertThat(storedRegistrationsOf(slug)).isEqualTo(1);
        String id = created.get(0).json().get("id").asText();
        assertThat(api.get("/api/v1/mcps/by-slug/" + slug).json().get("id").asText()).isEqualTo(id);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM mcp_tools WHERE slug = ?", Long.class, slug)).isEqualTo(1);
    }

    @Test
    void twentyConcurrentUpdatesOfOneToolAreAllRecordedAndTheReadModelShowsTheLastOne() throws Exception {
        Api.Response registered = api.post("/api/v1/mcps", registration(uniqueSlug("updates")));
        assertThat(registered.status()).isEqualTo(201);
        String id = registered.json().get("id").asText();

        List<Api.Response> responses = inParallel(20, i -> api.patch(
                "/api/v1/mcps/" + id, Map.of("description", "update " + i, "version", "2." + i + ".0")));
        assertThat(responses).allSatisfy(response -> assertThat(response.status()).as(response.text()).isEqualTo(200));
        // each answer shows the tool at its own revision or later (read your writes), never an older state
        assertThat(responses.stream().map(r -> Long.parseLong(r.etag().replace("\"", ""))))
                .allSatisfy(revision -> assertThat(revision).isBetween(2L, 21L))
                .contains(21L);

        List<? extends DomainEventMessage<?>> events = storedEventsOf(id);
        List<ToolUpdated> updates = events.stream()
                                          .filter(event -> event.getPayload() instanceof ToolUpdated)
                                          .map(event -> (ToolUpdated) event.getPayload())
                                          .toList();
        assertThat(updates).hasSize(20);
        assertThat(events).hasSize(21);
        assertThat(updates.stream().map(ToolUpdated::description).distinct()).hasSize(20);
        ToolUpdated last = (ToolUpdated) events.get(events.size() - 1).getPayload();

        Api.Response read = api.get("/api/v1/mcps/" + id);
        JsonNode tool = read.json();
        assertThat(read.etag()).isEqualTo("\"21\"");
        assertThat(tool.get("description").asText()).isEqualTo(last.description());
        assertThat(tool.get("version").asText()).isEqualTo(last.version());

        Map<String, Object> row = jdbc.queryForMap("SELECT description, version, revision FROM mcp_tools WHERE id = ?",
                                                   id);
        assertThat(row.get("description")).isEqualTo(last.description());
        assertThat(row.get("version")).isEqualTo(last.version());
        assertThat(((Number) row.get("revision")).longValue()).isEqualTo(21);
    }
}
