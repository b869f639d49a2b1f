package org.mcpplatform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Accounts;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.support.Tools.registration;
import static org.mcpplatform.support.Tools.uniqueSlug;

/** GET /api/v1/admin/events: the event store's raw log, the audit trail, against the real stores. */
@PlatformTest
class EventLogApiTest {

    @LocalServerPort
    int port;
    Api admin;
    Accounts.Account developer;
    String toolId;
    String registeredIn;
    String updatedIn;

    /** A developer registers a tool and updates it, each in a request of a known id. */
    @BeforeEach
    void aToolWithTwoEvents() throws InterruptedException {
        admin = new Api(port);
        developer = Accounts.create(port, "developer");
        registeredIn = "audit-register-" + UUID.randomUUID();
        updatedIn = "audit-update-" + UUID.randomUUID();
        Api.Response created = developer.api().post("/api/v1/mcps", registration(uniqueSlug("audit")),
                                                    "X-Request-ID", registeredIn);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        toolId = created.json().get("id").asText();
        Thread.sleep(5); // the two events get different millisecond timestamps, for the time filter
        Api.Response updated = developer.api().patch("/api/v1/mcps/" + toolId, "{\"version\":\"2.0.0\"}",
                                                     "X-Request-ID", updatedIn);
        assertThat(updated.status()).as(updated.text()).isEqualTo(200);
    }

    private JsonNode events(String query) {
        Api.Response answer = admin.get("/api/v1/admin/events?" + query);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer.json();
    }

    private static List<String> types(JsonNode page) {
        List<String> types = new ArrayList<>();
        page.get("events").forEach(event -> types.add(event.get("type").asText()));
        return types;
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void anAggregatesEventsComeInOrderWithWhoActedAndInWhichRequest() {
        JsonNode page = events("aggregate_id=" + toolId);

        assertThat(types(page)).containsExactly("ToolRegistered", "ToolUpdated");
        assertThat(page.get("page").asInt()).isEqualTo(1);
        assertThat(page.get("page_size").asInt()).isEqualTo(50);
        assertThat(page.get("has_more").asBoolean()).isFalse();
        JsonNode registered = page.get("events").get(0);
        JsonNode updated = page.get("events").get(1);
        assertThat(registered.get("sequence_number").asLong()).isEqualTo(0);
        assertThat(updated.get("sequence_number").asLong()).isEqualTo(1);
        assertThat(registered.get("aggregate_id").asText()).isEqualTo(toolId);
        assertThat(registered.get("aggregate_type").asText()).isEqualTo("McpTool");
        assertThat(registered.get("payload_type").asText()).isEqualTo("org.mcpplatform.tool.ToolRegistered");
        assertThat(registered.get("event_id").asText()).isNotBlank();
        assertThat(registered.get("position").asLong()).isPositive();
        assertThat(updated.get("position").asLong()).isGreaterThan(registered.get("position").asLong());
        assertThat(registered.get("payload").isObject()).isTrue();
        assertThat(updated.get("payload").toString()).contains("2.0.0");

        assertThat(registered.get("metadata").get("user_id").asText()).isEqualTo(developer.id());
        assertThat(registered.get("metadata").get("request_id").asText()).isEqualTo(registeredIn);
        assertThat(registered.get("metadata").get("role").asText()).isEqualTo("developer");
        assertThat(updated.get("metadata").get("user_id").asText()).isEqualTo(developer.id());
        assertThat(updated.get("metadata").get("request_id").asText()).isEqualTo(updatedIn);
        assertThat(updated.get("metadata").has("correlation_id")).as(updated.toString()).isTrue();
        page.get("events").forEach(event -> event.get("metadata").fieldNames().forEachRemaining(
                name -> assertThat(name.toLowerCase()).doesNotContain("token").doesNotContain("authorization")));
    }

    @Test
    void filtersByTypeBySimpleOrFullName() {
        assertThat(types(events("aggregate_id=" + toolId + "&type=ToolUpdated"))).containsExactly("ToolUpdated");
        assertThat(types(events("aggregate_id=" + toolId + "&type=org.mcpplatform.tool.ToolRegistered")))
                .containsExactly("ToolRegistered");
        assertThat(types(events("aggregate_id=" + toolId + "&type=Updated"))).isEmpty();

        JsonNode allUpdates = events("type=ToolUpdated&page_size=500");
        assertThat(types(allUpdates)).isNotEmpty().allMatch("ToolUpdated"::equals);
    }

    @Test
    void filtersByTimeFromInclusiveToExclusive() {
        JsonNode both = events("aggregate_id=" + toolId).get("events");
        String registeredAt = both.get(0).get("timestamp").asText();
        String updatedAt = both.get(1).get("timestamp").asText();

        assertThat(types(events("aggregate_id=" + toolId + "&from=" + encoded(updatedAt))))
                .containsExactly("ToolUpdated");
        assertThat(types(events("aggregate_id=" + toolId + "&to=" + encoded(updatedAt))))
                .containsExactly("ToolRegistered");
        assertThat(types(events("aggregate_id=" + toolId + "&from=" + encoded(registeredAt) + "&to="
                                        + encoded(updatedAt))))
                .containsExactly("ToolRegistered");
        assertThat(types(events("aggregate_id=" + toolId + "&from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z")))
                .isEmpty();
    }

    @Test
    void pagesThroughTheLog() {
        JsonNode first = events("aggregate_id=" + toolId + "&page_size=1");
        assertThat(types(first)).containsExactly("ToolRegistered");
        assertThat(first.get("has_more").asBoolean()).isTrue();
        assertThat(first.get("page_size").asInt()).isEqualTo(1);

        JsonNode second = events("aggregate_id=" + toolId + "&page_size=1&page=2");
        assertThat(types(second)).containsExactly("ToolUpdated");
        assertThat(second.get("page").asInt()).isEqualTo(2);
        assertThat(second.get("has_more").asBoolean()).isFalse();

        assertThat(types(events("aggregate_id=" + toolId + "&page_size=1&page=3"))).isEmpty();
    }

    @Test
    void onlyAdministratorsReadTheLog() {
        Api.Response asDeveloper = developer.api().get("/api/v1/admin/events?aggregate_id=" + toolId);
        assertThat(asDeveloper.status()).isEqualTo(403);
        assertThat(asDeveloper.json().get("error").get("code").asText()).isEqualTo("FORBIDDEN");

        Api.Response anonymous = Api.anonymous(port).get("/api/v1/admin/events");
        assertThat(anonymous.status()).isEqualTo(401);
    }

    @Test
    void refusesBadParametersWithTheFieldsNamed() {
        for (String query : List.of("page_size=0", "page_size=501", "page_size=ten", "page=0", "page=-1",
                                    "from=yesterday", "to=2026-13-01T00:00:00Z",
                                    "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")) {
            Api.Response answer = admin.get("/api/v1/admin/events?" + query, "X-Request-ID", "audit-bad-request");
            assertThat(answer.status()).as(query).isEqualTo(422);
            JsonNode error = answer.json().get("error");
            assertThat(error.get("code").asText()).as(query).isEqualTo("VALIDATION_ERROR");
            assertThat(error.get("request_id").asText()).isEqualTo("audit-bad-request");
            String field = query.substring(0, query.indexOf('='));
            assertThat(error.get("details").get("errors").toString()).as(query)
                    .contains(query.startsWith("from=2026-01-02") ? "\"to\"" : "\"" + field + "\"");
        }
    }
}
