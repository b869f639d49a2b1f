package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.JsonPatch;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformTest;
import org.mcpplatform.support.ToolGenerators.NewTool;
import org.mcpplatform.support.ToolGenerators.ToolChange;
import org.mcpplatform.support.ToolStores.StoredEvent;
import org.mcpplatform.support.ToolStores.ToolRowView;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.support.ToolGenerators.configs;
import static org.mcpplatform.support.ToolGenerators.newTools;
import static org.mcpplatform.support.ToolGenerators.toolChanges;
import static org.mcpplatform.support.ToolGenerators.versions;
import static org.quicktheories.generators.Generate.constant;
import static org.quicktheories.generators.Generate.frequency;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.Generate.range;
import static org.quicktheories.QuickTheory.qt;

/** The tool registry's persistence and history properties, checked against MySQL and the event store directly. */
@PlatformTest
class ToolPropertiesTest extends ToolPropertySupport {

    // Property 1: MCP Tool Creation Persistence
    @Test
    void aRegisteredToolIsInMysqlUnderItsIdWithTheDataItWasRegisteredWith() {
        properties().forAll(newTools()).checkAssert(tool -> {
            long eventsBefore = stores.eventCount();
            String slug = tool.freshSlug();
            Api.Response created = api.post("/api/v1/mcps", tool.body(slug));
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            String id = created.json().get("id").asText();
            assertThat(created.header("Location")).isEqualTo("/api/v1/mcps/" + id);
            Expected expected = Expected.registered(id, slug, tool);

            ToolRowView row = assertRowMatches(expected);
            assertThat(row.createdAt()).isEqualTo(row.updatedAt());
            assertResponseMatches(created.json(), expected);
            assertThat(Instant.parse(created.json().get("created_at").asText())).isEqualTo(row.createdAt());
            Api.Response read = api.get("/api/v1/mcps/" + id);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.json()).isEqualTo(created.json());
            assertThat(stores.eventsOf(id)).containsExactly(new StoredEvent(0, "ToolRegistered"));
            assertThat(stores.eventCount()).isEqualTo(eventsBefore + 1);
        });
    }

    // Property 2: Version History on Update
    @Test
    void anUpdateLeavesTheNewStateInMysqlAndThePreviousVersionInTheHistory() {
        properties().forAll(newTools(), toolChanges()).checkAssert((tool, change) -> {
            Expected before = register(tool);
            Expected after = before.after(change);

            Api.Response patched = api.patch("/api/v1/mcps/" + before.id(), change.body());
            assertThat(patched.status()).as(patched.text()).isEqualTo(200);
            assertResponseMatches(patched.json(), after);
            assertRowMatches(after);

            List<StoredEvent> events = stores.eventsOf(before.id());
            JsonNode history = api.get("/api/v1/mcps/" + before.id() + "/history").json();
            if (after == before) {
                assertThat(events).hasSize(1);
                assertThat(history).hasSize(1);
                return;
            }
            assertThat(events).containsExactly(new StoredEvent(0, "ToolRegistered"), new StoredEvent(1, "ToolUpdated"));
            assertThat(history).hasSize(2);
            JsonNode previous = history.get(0);
            assertThat(previous.get("version").asLong()).isEqualTo(1);
            assertThat(previous.get("tool_version").asText()).isEqualTo(before.version());
            assertThat(previous.get("config")).isEqualTo(before.config());
            JsonNode latest = history.get(1);
            assertThat(latest.get("version").asLong()).isEqualTo(2);
            assertThat(latest.get("change_type").asText()).isEqualTo("update");
            assertThat(latest.get("tool_version").asText()).isEqualTo(after.version());
            assertThat(latest.get("config")).isEqualTo(after.config());
        });
    }

    // Property 3: Soft Delete Preservation
    @Test
    void aDeletedToolKeepsItsRowWithDeletedAtAndGetsADeletionRecord() {
        Gen<ToolChange> maybeChange = toolChanges().toOptionals(50).map(optional -> optional.orElse(null));
        properties().forAll(newTools(), maybeChange).checkAssert((tool, change) -> {
            Expected tool0 = register(tool);
            Expected current = tool0;
            if (change != null) {
                assertThat(api.patch("/api/v1/mcps/" + tool0.id(), change.body()).status()).isEqualTo(200);
                current = tool0.after(change);
            }
            Instant beforeDelete = Instant.now();
            Api.Response deleted = api.delete("/api/v1/mcps/" + current.id());
            assertThat(deleted.status()).as(deleted.text()).isEqualTo(204);
            Expected gone = current.asDeleted();

            ToolRowView row = assertRowMatches(gone);
            assertThat(row.deletedAt()).isAfterOrEqualTo(row.createdAt())
                                       .isAfterOrEqualTo(beforeDelete.minusSeconds(5));
            List<StoredEvent> events = stores.eventsOf(current.id());
            assertThat(events).hasSize((int) gone.revision());
            assertThat(events.get(events.size() - 1)).isEqualTo(new StoredEvent(gone.revision() - 1, "ToolDeleted"));
            JsonNode history = api.get("/api/v1/mcps/" + current.id() + "/history").json();
            assertThat(history).hasSize((int) gone.revision());
            assertThat(history.get(history.size() - 1).get("change_type").asText()).isEqualTo("delete");
            assertThat(api.get("/api/v1/mcps/" + current.id()).status()).isEqualTo(404);
        });
    }

    /** Tools registered under one search token, so that a list filtered by it holds exactly them. */
    record Pool(String token, Set<String> ids) {
    }

    /** Registers {@code size} generated tools whose slugs all carry one fresh token (QuickTheories as sampler). */
    private Pool pool(int size) {
        String token = "pg" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Set<String> ids = new LinkedHashSet<>();
        if (size > 0) {
            qt().withExamples(size).forAll(newTools()).checkAssert(generated -> {
                String stem = token + "-" + generated.slugStem().substring(0, Math.min(generated.slugStem().length(), 100));
                NewTool tool = new NewTool(generated.name(), stem, generated.description(), generated.version(),
                                           generated.config());
                ids.add(register(tool).id());
            });
        }
        assertThat(ids).hasSize(size);
        return new Pool(token, ids);
    }

    record Paging(int poolSize, int pageSize, String sort, int probe) {
    }

    // Property 4: Pagination Invariants
    @Test
    void pagesNeverExceedPageSizeAndTogetherHoldEachMatchingToolExactlyOnce() {
        Gen<Integer> poolSizes = pick(List.of(0, 1, 2, 7, 20, 41));
        Gen<Integer> pageSizes = frequency(Pair.of(3, range(1, 10)), Pair.of(3, range(1, 100)),
                                           Pair.of(1, constant(100)));
        Gen<String> sorts = pick(List.of("created_at", "updated_at", "name", "slug", "status", "version"))
                .zip(pick(List.of("", ",asc", ",desc")), String::concat);
        Gen<Paging> pagings = random -> new Paging(poolSizes.generate(random), pageSizes.generate(random),
                                                   sorts.generate(random), range(1, 60).generate(random));
        Map<Integer, Pool> pools = new HashMap<>();
        for (int size : List.of(0, 1, 2, 7, 20, 41)) {
            pools.put(size, pool(size));
        }
        properties().forAll(pagings).checkAssert(paging -> {
            Pool pool = pools.get(paging.poolSize());
            int size = paging.pageSize();
            long expectedPages = (pool.ids().size() + size - 1) / size;
            List<String> seen = new ArrayList<>();
            for (int page = 1; page <= Math.max(expectedPages, paging.probe()); page++) {
                JsonNode result = listPage(pool, page, paging);
                JsonNode items = result.get("items");
                assertThat(result.get("total").asLong()).as("total").isEqualTo(pool.ids().size());
                assertThat(result.get("pages").asLong()).as("pages").isEqualTo(expectedPages);
                assertThat(result.get("page").asInt()).isEqualTo(page);
                assertThat(result.get("page_size").asInt()).isEqualTo(size);
                assertThat(items.size()).as("items on page %d", page).isLessThanOrEqualTo(size);
                long expectedOnPage = Math.max(0, Math.min(size, pool.ids().size() - (long) (page - 1) * size));
                assertThat((long) items.size()).as("items on page %d", page).isEqualTo(expectedOnPage);
                items.forEach(item -> seen.add(item.get("id").asText()));
                if (page > expectedPages) {
                    break; // one probe past the end is enough: it must be empty
                }
            }
            assertThat(seen).doesNotHaveDuplicates();
            assertThat(new HashSet<>(seen)).isEqualTo(pool.ids());
        });
    }

    private JsonNode listPage(Pool pool, int page, Paging paging) {
        Api.Response response = api.get("/api/v1/mcps?q=" + pool.token() + "&page=" + page + "&page_size="
                                                + paging.pageSize() + "&sort=" + paging.sort());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    /** One command of a tool's life, as the API is asked for it. */
    sealed interface Command permits Update, ChangeStatus, UpdateWithStatus, Delete {
    }

    record Update(ToolChange change) implements Command {
    }

    record ChangeStatus(String status) implements Command {
    }

    record UpdateWithStatus(ToolChange change, String status) implements Command {
    }

    record Delete() implements Command {
    }

    /** The lifecycle README.md documents: draft -> active -> deprecated -> active. */
    private static boolean transitionAllowed(String from, String to) {
        return from.equals("draft") && to.equals("active")
                || from.equals("active") && to.equals("deprecated")
                || from.equals("deprecated") && to.equals("active");
    }

    // Property 25: State Persistence in MySQL
    @Test
    void afterEveryCreateUpdateAndDeleteTheMysqlRowHoldsTheCurrentState() {
        Gen<String> statuses = pick(List.of("draft", "active", "deprecated"));
        Gen<Command> commands = frequency(
                Pair.of(4, toolChanges().map(change -> (Command) new Update(change))),
                Pair.of(3, statuses.map(status -> (Command) new ChangeStatus(status))),
                Pair.of(2, toolChanges().zip(statuses, (change, status) -> (Command) new UpdateWithStatus(change,
                                                                                                            status))),
                Pair.of(1, constant((Command) new Delete())));
        Gen<List<Command>> histories = random -> {
            int length = range(1, 8).generate(random);
            List<Command> list = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                list.add(commands.generate(random));
            }
            return list;
        };
        properties().forAll(newTools(), histories).checkAssert((tool, history) -> {
            Expected current = register(tool);
            assertRowMatches(current);
            for (Command command : history) {
                Instant updatedBefore = stores.row(current.id()).orElseThrow().updatedAt();
                Expected next = apply(current, command);
                ToolRowView row = assertRowMatches(next);
                if (next.revision() == current.revision()) {
                    assertThat(row.updatedAt()).as("unchanged tool keeps updated_at").isEqualTo(updatedBefore);
                } else {
                    assertThat(row.updatedAt()).isAfterOrEqualTo(updatedBefore);
                }
                assertThat(stores.eventsOf(current.id())).hasSize((int) next.revision());
                current = next;
            }
        });
    }

    /** Sends the command, checks the status the model predicts, and returns the model's next state. */
    private Expected apply(Expected current, Command command) {
        String path = "/api/v1/mcps/" + current.id();
        Api.Response response;
        Expected next;
        int expectedStatus;
        if (command instanceof Update update) {
            response = api.patch(path, update.change().body());
            next = current.deleted() ? current : current.after(update.change());
            expectedStatus = current.deleted() ? 404 : 200;
        } else if (command instanceof ChangeStatus change) {
            response = api.patch(path, object().put("status", change.status()));
            boolean allowed = change.status().equals(current.status())
                    || transitionAllowed(current.status(), change.status());
            next = current.deleted() || !allowed ? current : current.withStatus(change.status());
            expectedStatus = current.deleted() ? 404 : allowed ? 200 : 409;
        } else if (command instanceof UpdateWithStatus both) {
            ObjectNode body = both.change().body();
            body.put("status", both.status());
            response = api.patch(path, body);
            boolean allowed = both.status().equals(current.status())
                    || transitionAllowed(current.status(), both.status());
            next = current.deleted() || !allowed ? current : current.after(both.change()).withStatus(both.status());
            expectedStatus = current.deleted() ? 404 : allowed ? 200 : 409;
        } else {
            response = api.delete(path);
            next = current.deleted() ? current : current.asDeleted();
            expectedStatus = current.deleted() ? 404 : 204;
        }
        assertThat(response.status()).as("%s on %s -> %s", command, current, response.text())
                                     .isEqualTo(expectedStatus);
        if (expectedStatus == 200) {
            assertResponseMatches(response.json(), next);
            assertThat(response.etag()).isEqualTo("\"" + next.revision() + "\"");
        }
        return next;
    }

    // Property 26: Configuration History Append
    @Test
    void everyConfigChangeAppendsExactlyOneEventAndOneHistoryEntry() {
        // a quarter of the proposed configs are the current one again: that is no change and must append nothing
        Gen<List<ObjectNode>> proposals = random -> {
            int length = range(1, 4).generate(random);
            List<ObjectNode> list = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                list.add(range(0, 3).generate(random) == 0 ? null : configs().generate(random));
            }
            return list;
        };
        properties().forAll(newTools(), proposals).checkAssert((tool, configs) -> {
            Expected current = register(tool);
            for (ObjectNode proposed : configs) {
                JsonNode config = proposed == null ? current.config().deepCopy() : proposed;
                boolean changes = !config.equals(current.config());
                long allEvents = stores.eventCount();
                int toolEvents = stores.eventsOf(current.id()).size();
                int historyEntries = api.get("/api/v1/mcps/" + current.id() + "/history").json().size();

                Api.Response patched = api.patch("/api/v1/mcps/" + current.id(), object().set("config", config));
                assertThat(patched.status()).as(patched.text()).isEqualTo(200);

                int appended = changes ? 1 : 0;
                assertThat(stores.eventCount()).as("events in the store").isEqualTo(allEvents + appended);
                List<StoredEvent> events = stores.eventsOf(current.id());
                assertThat(events).hasSize(toolEvents + appended);
                JsonNode history = api.get("/api/v1/mcps/" + current.id() + "/history").json();
                assertThat(history).hasSize(historyEntries + appended);
                if (changes) {
                    assertThat(events.get(events.size() - 1).type()).isEqualTo("ToolUpdated");
                    JsonNode newest = history.get(history.size() - 1);
                    assertThat(newest.get("config")).isEqualTo(config);
                    assertThat(JsonPatch.apply(newest.get("diff"), current.config())).isEqualTo(config);
                    current = current.after(new ToolChange(null, null, false, null, (ObjectNode) config));
                }
                assertRowMatches(current);
            }
        });
    }

    /** One change whose history entry the test predicts: a new config and version, or a revert to an entry. */
    sealed interface HistoryStep permits ConfigStep, RevertStep {
    }

    record ConfigStep(ObjectNode config, String version) implements HistoryStep {
    }

    /** Reverts to the {@code pick}-th entry (modulo the entries there are by then). */
    record RevertStep(int pick) implements HistoryStep {
    }

    /** What a history entry should say. */
    record EntryExpectation(String changeType, String toolVersion, JsonNode config) {
    }

    // Property 28: Version History Retrieval
    @Test
    void theHistoryListsEveryVersionInChronologicalOrder() {
        Gen<HistoryStep> steps = frequency(
                Pair.of(4, configs().zip(versions(), (config, version) -> (HistoryStep) new ConfigStep(config,
                                                                                                      version))),
                Pair.of(1, range(0, 10).map(pick -> (HistoryStep) new RevertStep(pick))));
        Gen<List<HistoryStep>> sequences = random -> {
            int length = range(1, 6).generate(random);
            List<HistoryStep> list = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                list.add(steps.generate(random));
            }
            return list;
        };
        properties().forAll(newTools(), sequences).checkAssert((tool, sequence) -> {
            Expected current = register(tool);
            List<EntryExpectation> expected = new ArrayList<>();
            expected.add(new EntryExpectation("create", tool.version(), tool.config()));
            for (HistoryStep step : sequence) {
                if (step instanceof ConfigStep change) {
                    ToolChange patch = new ToolChange(null, null, false, change.version(), change.config());
                    assertThat(api.patch("/api/v1/mcps/" + current.id(), patch.body()).status()).isEqualTo(200);
                    Expected next = current.after(patch);
                    if (next != current) {
                        expected.add(new EntryExpectation("update", next.version(), next.config()));
                    }
                    current = next;
                } else if (step instanceof RevertStep revert) {
                    int target = revert.pick() % expected.size();
                    Api.Response reverted = api.post("/api/v1/mcps/" + current.id() + "/revert",
                                                     object().put("version", target + 1));
                    assertThat(reverted.status()).as(reverted.text()).isEqualTo(200);
                    JsonNode config = expected.get(target).config();
                    if (!config.equals(current.config())) {
                        expected.add(new EntryExpectation("revert", current.version(), config));
                        current = new Expected(current.id(), current.name(), current.slug(),
                                               current.description(), current.version(), config,
                                               current.status(), current.revision() + 1, false);
                    }
                }
            }

            JsonNode history = api.get("/api/v1/mcps/" + current.id() + "/history").json();
            assertThat(history).hasSize(expected.size());
            List<StoredEvent> events = stores.eventsOf(current.id());
            assertThat(events).hasSize(expected.size());
            JsonNode previousConfig = Api.JSON.nullNode();
            Instant previousAt = Instant.MIN;
            for (int i = 0; i < expected.size(); i++) {
                JsonNode entry = history.get(i);
                EntryExpectation expectation = expected.get(i);
                assertThat(entry.get("version").asLong()).as("entry %d", i).isEqualTo(i + 1);
                assertThat(events.get(i).sequenceNumber()).isEqualTo(i);
                assertThat(entry.get("change_type").asText()).as("entry %d", i).isEqualTo(expectation.changeType());
                assertThat(entry.get("tool_version").asText()).as("entry %d", i)
                                                             .isEqualTo(expectation.toolVersion());
                assertThat(entry.get("config")).as("entry %d", i).isEqualTo(expectation.config());
                assertThat(JsonPatch.apply(entry.get("diff"), previousConfig)).isEqualTo(expectation.config());
                Instant at = Instant.parse(entry.get("changed_at").asText());
                assertThat(at).as("entry %d", i).isAfterOrEqualTo(previousAt);
                previousAt = at;
                previousConfig = entry.get("config");
            }
            assertRowMatches(current);
        });
    }
}
