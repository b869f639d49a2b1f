package org.mcpplatform.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Accounts;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.mcpplatform.usage.JdbcUsageRecorder;
import org.mcpplatform.usage.UsageProperties;
import org.mcpplatform.usage.UsageRecord;
import org.mcpplatform.usage.UsageRecorder;
import org.quicktheories.core.Gen;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.deployment.Deployments.idleNodeConfig;
import static org.mcpplatform.deployment.Deployments.registerTool;
import static org.mcpplatform.support.Tools.uniqueSlug;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

/** Usage statistics: what the recorder is given reaches mcp_usage_stats, and the stats endpoint adds it up. */
@PlatformTest
class UsageStatsPropertiesTest {

    private static final int MINUTES = 5;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    UsageRecorder recorder;

    /** A request, placed at a minute and millisecond of the example's five-minute window. */
    record Request(int minute, int millis, String method, String toolName, String status, int httpStatus,
                   long micros, boolean withUser) {
    }

    // Property 27: Usage Statistics Recording
    @Test
    void everyRecordedRequestIsStoredWithItsDataAndCountedInItsBucket() {
        Api admin = new Api(port);
        Instant window = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(2));
        String userId = UUID.randomUUID().toString();
        qt().withExamples(25).withShrinkCycles(2)
            .forAll(lists().of(requests()).ofSizeBetween(0, 60))
            .checkAssert(requests -> {
                String toolId = registerTool(admin, uniqueSlug("usage"), idleNodeConfig());
                String deploymentId = UUID.randomUUID().toString();
                List<UsageRecord> records = new ArrayList<>();
                for (Request request : requests) {
                    records.add(new UsageRecord(toolId, deploymentId, request.method(), request.toolName(),
                                                request.status(), request.httpStatus(), request.micros(),
                                                request.withUser() ? userId : null,
                                                window.plus(Duration.ofMinutes(request.minute()))
                                                      .plusMillis(request.millis())));
                }
                records.forEach(recorder::record);

                List<UsageRecord> stored = awaitStored(toolId, records.size());
                assertThat(stored).containsExactlyInAnyOrderElementsOf(records);

                Api.Response minutes = admin.get("/api/v1/mcps/" + toolId + "/stats?bucket=minute&from=" + window
                                                         + "&to=" + window.plus(Duration.ofMinutes(MINUTES)));
                assertThat(minutes.status()).as(minutes.text()).isEqualTo(200);
                JsonNode stats = minutes.json();
                assertThat(stats.get("tool_id").asText()).isEqualTo(toolId);
                assertThat(stats.get("bucket").asText()).isEqualTo("minute");
                assertThat(stats.get("buckets")).hasSize(MINUTES);
                for (int minute = 0; minute < MINUTES; minute++) {
                    int m = minute;
                    assertBucket(stats.get("buckets").get(minute), window.plus(Duration.ofMinutes(minute)),
                                 records.stream().filter(r -> r.at().isBefore(window.plus(Duration.ofMinutes(m + 1)))
                                         && !r.at().isBefore(window.plus(Duration.ofMinutes(m)))).toList());
                }

                JsonNode hours = admin.get("/api/v1/mcps/" + toolId + "/stats?bucket=hour&from=" + window
                                                   + "&to=" + window.plus(Duration.ofHours(2))).json();
                assertThat(hours.get("buckets")).hasSize(2);
                assertBucket(hours.get("buckets").get(0), window, records);
                assertThat(hours.get("buckets").get(1).get("count").asLong()).isZero();
            });
    }

    @Test
    void theStatsEndpointValidatesItsRangeAndNeedsMcpsRead() {
        Api admin = new Api(port);
        String toolId = registerTool(admin, uniqueSlug("stats"), idleNodeConfig());
        String path = "/api/v1/mcps/" + toolId + "/stats";

        Api.Response defaults = admin.get(path);
        assertThat(defaults.status()).as(defaults.text()).isEqualTo(200);
        assertThat(defaults.json().get("buckets").size()).isBetween(60, 61);
        assertThat(admin.get(path + "?bucket=day").status()).isEqualTo(422);
        assertThat(admin.get(path + "?from=yesterday").json().at("/error/details/errors/0/field").asText())
                .isEqualTo("from");
        assertThat(admin.get(path + "?bucket=minute&from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z").status())
                .isEqualTo(422);
        assertThat(admin.get(path + "?bucket=hour&from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z").status())
                .isEqualTo(200);
        assertThat(admin.get(path + "?from=2026-01-03T00:00:00Z&to=2026-01-01T00:00:00Z").status()).isEqualTo(422);
        assertThat(admin.get("/api/v1/mcps/" + UUID.randomUUID() + "/stats").status()).isEqualTo(404);
        assertThat(Accounts.create(port, "viewer").api().get(path).status()).isEqualTo(200);
    }

    @Test
    void aFullQueueDropsAndCountsRecordsInsteadOfBlockingAndEveryOtherRecordIsWritten() throws Exception {
        String toolId = UUID.randomUUID().toString();
        JdbcUsageRecorder small = new JdbcUsageRecorder(jdbc, new UsageProperties(4, 2, Duration.ofMillis(200)),
                                                        new SimpleMeterRegistry());
        int offered = 5_000;
        long started = System.nanoTime();
        try {
            for (int i = 0; i < offered; i++) {
                small.record(new UsageRecord(toolId, null, "ping", null, "ok", 200, i, null, Instant.now()));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("recording never waits for the database")
                                                                     .isLessThan(Duration.ofSeconds(2));
        } finally {
            small.destroy(); // writes what is queued
        }
        long stored = jdbc.queryForObject("SELECT COUNT(*) FROM mcp_usage_stats WHERE tool_id = ?", Long.class, toolId);
        assertThat(small.droppedCount()).isPositive();
        assertThat(stored + small.droppedCount()).isEqualTo(offered);
    }

    private static void assertBucket(JsonNode bucket, Instant start, List<UsageRecord> records) {
        assertThat(Instant.parse(bucket.get("start").asText())).isEqualTo(start);
        assertThat(bucket.get("count").asLong()).isEqualTo(records.size());
        assertThat(bucket.get("errors").asLong()).isEqualTo(records.stream().filter(r -> !r.status().equals("ok"))
                                                                   .count());
        long[] micros = records.stream().mapToLong(UsageRecord::responseTimeMicros).sorted().toArray();
        for (int p : new int[] {50, 95, 99}) {
            JsonNode value = bucket.get("p" + p + "_ms");
            if (micros.length == 0) {
                assertThat(value.isNull()).as("p%d of an empty bucket", p).isTrue();
            } else {
                int rank = (int) Math.ceil(p / 100.0 * micros.length);
                assertThat(value.asDouble()).as("p%d", p).isEqualTo(micros[Math.max(0, rank - 1)] / 1000.0);
            }
        }
        assertThat(Arrays.stream(micros).allMatch(m -> m >= 0)).isTrue();
    }

    private List<UsageRecord> awaitStored(String toolId, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<UsageRecord> stored = jdbc.query(
                    "SELECT tool_id, deployment_id, method, tool_name, status, http_status, response_time_us, user_id,"
                            + " created_at FROM mcp_usage_stats WHERE tool_id = ?",
                    (rs, row) -> new UsageRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                                 rs.getString(5), rs.getInt(6), rs.getLong(7), rs.getString(8),
                                                 rs.getObject(9, LocalDateTime.class).toInstant(ZoneOffset.UTC)),
                    toolId);
            if (stored.size() >= expected || System.nanoTime() > deadline) {
                return stored;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return stored;
            }
        }
    }

    private static Gen<Request> requests() {
        Gen<String> methods = pick(List.of("tools/call", "tools/list", "resources/read", "prompts/get", "ping",
                                           "initialize"));
        Gen<String> toolNames = pick(Arrays.asList("echo", "get-sum", "trigger-long-running-operation", null));
        Gen<String> statuses = pick(List.of("ok", "ok", "ok", "error", "timeout"));
        Gen<Integer> httpStatuses = pick(List.of(200, 202, 504));
        return integers().between(0, MINUTES - 1)
                         .zip(integers().between(0, 59_999), (minute, millis) -> new int[] {minute, millis})
                         .zip(methods, toolNames, (at, method, tool) -> new Object[] {at, method,
                                 method.equals("tools/call") ? tool : null})
                         .zip(statuses, httpStatuses, longs().between(0, 120_000_000L),
                              (first, status, http, micros) -> new Object[] {first, status, http, micros})
                         .zip(pick(List.of(true, false)), (all, withUser) -> {
                             Object[] first = (Object[]) all[0];
                             int[] at = (int[]) first[0];
                             return new Request(at[0], at[1], (String) first[1], (String) first[2], (String) all[1],
                                                (Integer) all[2], (Long) all[3], withUser);
                         });
    }
}
