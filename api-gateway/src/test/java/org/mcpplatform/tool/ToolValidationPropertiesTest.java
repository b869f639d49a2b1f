package org.mcpplatform.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformTest;
import org.mcpplatform.support.ToolGenerators.NewTool;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.support.ToolGenerators.codePoints;
import static org.mcpplatform.support.ToolGenerators.newTools;
import static org.quicktheories.generators.Generate.constant;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.Generate.range;

/** Invalid requests: always a 422 naming each failing field, never an event. */
@PlatformTest
class ToolValidationPropertiesTest extends ToolPropertySupport {

    /** A way to make one field invalid: what it puts in the body (null = leave the field out). */
    record Breakage(String field, String how, JsonNode value) {
    }

    /** An invalid request body and the fields it breaks. */
    record InvalidRequest(ObjectNode body, Set<String> brokenFields, List<Breakage> breakages) {
        @Override
        public String toString() {
            return breakages.toString();
        }
    }

    // ---- generators of invalid values, one per field

    private static JsonNode text(String value) {
        return Api.JSON.getNodeFactory().textNode(value);
    }

    private static String repeatCodePoints(Gen<Integer> codePoint, int count,
                                           org.quicktheories.core.RandomnessSource random) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.appendCodePoint(codePoint.generate(random));
        }
        return text.toString();
    }

    /** Values of the wrong JSON type for a string field. */
    private static Gen<JsonNode> wrongTypesForText() {
        return pick(List.of("number", "boolean", "array", "object")).map(kind -> switch (kind) {
            case "number" -> Api.JSON.getNodeFactory().numberNode(42);
            case "boolean" -> Api.JSON.getNodeFactory().booleanNode(true);
            case "array" -> Api.JSON.createArrayNode().add("x");
            default -> Api.JSON.createObjectNode().put("x", "y");
        });
    }

    private static Gen<Breakage> nameBreakages(boolean required) {
        Gen<Breakage> blank = pick(List.of("", " ", "   ", "\t", "\n \r", "\u3000", "\u2003 "))
                .map(value -> new Breakage("name", "blank", text(value)));
        Gen<Breakage> tooLong = random -> new Breakage("name", "too long",
                text(repeatCodePoints(codePoints().map(cp -> cp < 0x21 ? 'x' : cp), range(256, 400).generate(random),
                                      random)));
        Gen<Breakage> wrongType = wrongTypesForText().map(value -> new Breakage("name", "wrong type", value));
        Gen<Breakage> nullValue = constant(new Breakage("name", "null", Api.JSON.nullNode()));
        Gen<Breakage> any = Generate.oneOf(blank, tooLong, wrongType, nullValue);
        return required ? any.mix(constant(new Breakage("name", "missing", null))) : any;
    }

    private static Gen<Breakage> slugBreakages() {
        Gen<String> badCharacter = pick(List.of("A", "Z", " ", "_", ".", "/", "é", "ß", "🙂", "\u0000", "%", "+"));
        Gen<Breakage> withBadCharacter = random -> {
            String bad = badCharacter.generate(random);
            String around = repeatCodePoints(pick(List.of((int) 'a', (int) '7', (int) '-')), range(0, 20).generate(random),
                                             random);
            int at = range(0, around.length()).generate(random);
            return new Breakage("slug", "bad character", text(around.substring(0, at) + bad + around.substring(at)));
        };
        Gen<Breakage> tooLong = range(256, 300).map(length -> new Breakage("slug", "too long",
                                                                             text("a".repeat(length))));
        return Generate.oneOf(withBadCharacter, tooLong,
                              constant(new Breakage("slug", "empty", text(""))),
                              constant(new Breakage("slug", "missing", null)),
                              constant(new Breakage("slug", "null", Api.JSON.nullNode())),
                              wrongTypesForText().map(value -> new Breakage("slug", "wrong type", value)));
    }

    private static Gen<Breakage> versionBreakages(boolean required) {
        Gen<Breakage> malformed = pick(List.of("", "1", "1.0", "1.0.0.0", "v1.0.0", "1.0.0-beta", " 1.0.0", "1.0.0 ",
                                               "1..0", "a.b.c", "1.0.x", "١.٢.٣", "1.0.0\n", "-1.0.0", "1,0,0"))
                .map(value -> new Breakage("version", "malformed", text(value)));
        Gen<Breakage> tooLong = range(49, 60).map(digits -> new Breakage("version", "too long",
                                                                          text("1.0." + "9".repeat(digits))));
        Gen<Breakage> any = Generate.oneOf(malformed, tooLong,
                                           constant(new Breakage("version", "null", Api.JSON.nullNode())),
                                           wrongTypesForText().map(value -> new Breakage("version", "wrong type",
                                                                                         value)));
        return required ? any.mix(constant(new Breakage("version", "missing", null))) : any;
    }

    private static Gen<Breakage> descriptionBreakages() {
        Gen<Breakage> tooLong = random -> new Breakage("description", "too long",
                text(repeatCodePoints(codePoints(), range(10_001, 10_100).generate(random), random)));
        return tooLong.mix(wrongTypesForText().map(value -> new Breakage("description", "wrong type", value)));
    }

    /** Configs that are not JSON objects, or objects the schema rejects. */
    private static Gen<Breakage> configBreakages(boolean required) {
        List<Function<ObjectNode, JsonNode>> breakers = List.of(
                config -> text("npx server"),
                config -> Api.JSON.createArrayNode().add(config),
                config -> Api.JSON.getNodeFactory().numberNode(1),
                config -> Api.JSON.createObjectNode(),
                config -> Api.JSON.createObjectNode().set("mcpServers", Api.JSON.createObjectNode()),
                config -> Api.JSON.createObjectNode().put("mcpServers", "not an object"),
                changing(config -> config.put("extra", true)),
                changing(config -> firstServer(config).put("command", "npx").put("url", "https://both.example.com")),
                changing(config -> firstServer(config).removeAll().put("transport", "sse")),
                changing(config -> firstServer(config).removeAll().put("command", "")),
                changing(config -> firstServer(config).removeAll().put("command", "npx\nrm -rf /")),
                changing(config -> firstServer(config).removeAll().put("command", "npx").set("args", text("-y"))),
                changing(config -> firstServer(config).removeAll().put("command", "npx").putObject("env")
                                                      .put("1BAD", "x")),
                changing(config -> firstServer(config).removeAll().put("url", "ftp://files.example.com")),
                changing(config -> firstServer(config).removeAll().put("url", "not a url")),
                changing(config -> firstServer(config).removeAll().put("url", "https://x.example.com")
                                                      .put("transport", "ws")),
                changing(config -> firstServer(config).removeAll().put("url", "https://x.example.com")
                                                      .putObject("headers").put("Bad Header", "x")),
                changing(config -> {
                    ObjectNode servers = (ObjectNode) config.get("mcpServers");
                    servers.set("-bad-name", servers.elements().next().deepCopy());
                }),
                changing(config -> config.putArray("tools").addObject().put("description", "a tool without a name")));
        Gen<Breakage> schemaViolation = org.mcpplatform.support.ToolGenerators.configs()
                .zip(range(0, breakers.size() - 1),
                     (config, which) -> new Breakage("config", "breaker " + which, breakers.get(which).apply(config)));
        Gen<Breakage> any = schemaViolation.mix(constant(new Breakage("config", "null", Api.JSON.nullNode())), 10);
        return required ? any.mix(constant(new Breakage("config", "missing", null)), 10) : any;
    }

    /** A breaker that changes the config in place and returns it. */
    private static Function<ObjectNode, JsonNode> changing(java.util.function.Consumer<ObjectNode> change) {
        return config -> {
            change.accept(config);
            return config;
        };
    }

    /** The first server's object, in place (breakers change the config they are given). */
    private static ObjectNode firstServer(ObjectNode config) {
        return (ObjectNode) config.get("mcpServers").elements().next();
    }

    private static Gen<Breakage> unknownFields() {
        return pick(List.of("colour", "author_id", "id", "Name", "created_at", "tags"))
                .map(field -> new Breakage(field, "unknown field", text("x")));
    }

    /** A valid registration with one to all of its fields broken (each field at most once). */
    static Gen<InvalidRequest> invalidRegistrations() {
        List<Gen<Breakage>> perField = List.of(nameBreakages(true), slugBreakages(), versionBreakages(true),
                                               descriptionBreakages(), configBreakages(true), unknownFields());
        return invalid(newTools().map(tool -> tool.body(tool.freshSlug())), perField);
    }

    /** A valid change with one to all of its fields broken. */
    static Gen<InvalidRequest> invalidChanges() {
        Gen<Breakage> statuses = Generate.oneOf(
                pick(List.of("archived", "Draft", "ACTIVE", "", "deleted")).map(s -> new Breakage("status", "unknown",
                                                                                               text(s))),
                wrongTypesForText().map(value -> new Breakage("status", "wrong type", value)),
                constant(new Breakage("status", "null", Api.JSON.nullNode())));
        Gen<Breakage> slugChange = constant(new Breakage("slug", "slug cannot change", text("new-slug")));
        List<Gen<Breakage>> perField = List.of(nameBreakages(false), versionBreakages(false), descriptionBreakages(),
                                               configBreakages(false), statuses, unknownFields().mix(slugChange));
        return invalid(org.mcpplatform.support.ToolGenerators.toolChanges().map(change -> change.body()), perField);
    }

    private static Gen<InvalidRequest> invalid(Gen<ObjectNode> validBodies, List<Gen<Breakage>> perField) {
        return random -> {
            ObjectNode body = validBodies.generate(random).deepCopy();
            List<Breakage> breakages = new ArrayList<>();
            // at least one field broken; each of the others with probability one in three
            int first = range(0, perField.size() - 1).generate(random);
            for (int i = 0; i < perField.size(); i++) {
                if (i == first || range(0, 2).generate(random) == 0) {
                    breakages.add(perField.get(i).generate(random));
                }
            }
            Set<String> fields = new TreeSet<>();
            for (Breakage breakage : breakages) {
                fields.add(breakage.field());
                if (breakage.value() == null) {
                    body.remove(breakage.field());
                } else {
                    body.set(breakage.field(), breakage.value());
                }
            }
            return new InvalidRequest(body, fields, breakages);
        };
    }

    // ---- checks

    /** The 422 body, checked for the error format every error shares. */
    private static JsonNode validationError(Api.Response response, InvalidRequest request) {
        assertThat(response.status()).as("%s -> %s", request, response.text()).isEqualTo(422);
        JsonNode error = response.json().get("error");
        assertThat(error.get("code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("request_id").asText()).isEqualTo(response.header("X-Request-ID"));
        assertThat(error.get("timestamp").asText()).isNotBlank();
        assertThat(response.text()).doesNotContain("Exception").doesNotContain("at org.");
        return error;
    }

    /** The field a detail is about, without the place inside it: config.mcpServers.x.command -> config. */
    private static String topField(String field) {
        int end = field.length();
        for (char separator : new char[]{'.', '['}) {
            int at = field.indexOf(separator);
            if (at > 0 && at < end) {
                end = at;
            }
        }
        return field.substring(0, end);
    }

    private static void assertOneDetailPerBrokenField(JsonNode error, InvalidRequest request) {
        JsonNode details = error.at("/details/errors");
        assertThat(details.isArray()).as("details.errors in %s", error).isTrue();
        List<String> fields = new ArrayList<>();
        Map<String, Integer> perTopField = new LinkedHashMap<>();
        details.forEach(detail -> {
            String field = detail.get("field").asText();
            assertThat(detail.get("message").asText()).as("message for %s", field).isNotBlank();
            fields.add(field);
            perTopField.merge(topField(field), 1, Integer::sum);
        });
        assertThat(fields).as("details of %s", request).doesNotHaveDuplicates();
        assertThat(perTopField.keySet()).as("fields named by %s for %s", details, request)
                                        .containsExactlyInAnyOrderElementsOf(request.brokenFields());
        perTopField.forEach((field, count) -> {
            if (!field.equals("config")) {
                // a config may fail in several places, each its own entry; any other field is one entry
                assertThat(count).as("entries for %s in %s", field, details).isEqualTo(1);
            }
        });
    }

    /** The tool invalid changes are aimed at. */
    private static final NewTool TARGET = new NewTool("Validation target", "validation-target", "Rejects changes",
                                                      "1.0.0", org.mcpplatform.support.Tools.stdioConfig("npx", "-y",
                                                                                                         "srv"));

    // Property 35: Input Validation Rejection
    @Test
    void anInvalidRegistrationIsRejectedWith422AndWritesNothing() {
        properties().forAll(invalidRegistrations()).checkAssert(request -> {
            long events = stores.eventCount();
            long rows = stores.rowCount();
            Api.Response response = api.post("/api/v1/mcps", request.body());
            validationError(response, request);
            assertThat(stores.eventCount()).as("events after %s", request).isEqualTo(events);
            assertThat(stores.rowCount()).isEqualTo(rows);
            JsonNode slug = request.body().get("slug");
            if (slug != null && slug.isTextual() && slug.asText().matches("[a-z0-9-]{1,255}")) {
                assertThat(api.get("/api/v1/mcps/by-slug/" + slug.asText()).status()).isEqualTo(404);
            }
        });
    }

    // Property 35: Input Validation Rejection
    @Test
    void anInvalidChangeIsRejectedWith422AndLeavesTheToolAsItWas() {
        Expected tool = register(TARGET);
        properties().forAll(invalidChanges()).checkAssert(request -> {
            long events = stores.eventCount();
            Api.Response response = api.patch("/api/v1/mcps/" + tool.id(), request.body());
            validationError(response, request);
            assertThat(stores.eventCount()).as("events after %s", request).isEqualTo(events);
            assertRowMatches(tool);
        });
    }

    // Property 36: Validation Error Detail
    @Test
    void aRejectedRegistrationNamesEachFailingFieldOnce() {
        properties().forAll(invalidRegistrations()).checkAssert(request -> {
            JsonNode error = validationError(api.post("/api/v1/mcps", request.body()), request);
            assertOneDetailPerBrokenField(error, request);
        });
    }

    // Property 36: Validation Error Detail
    @Test
    void aRejectedChangeNamesEachFailingFieldOnce() {
        Expected tool = register(TARGET);
        properties().forAll(invalidChanges()).checkAssert(request -> {
            JsonNode error = validationError(api.patch("/api/v1/mcps/" + tool.id(), request.body()), request);
            assertOneDetailPerBrokenField(error, request);
        });
    }
}
