package org.mcpplatform.health;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.bson.Document;
import org.mcpplatform.cache.CacheStore;
import org.mcpplatform.eventstore.EventStoreConnection;
import org.mcpplatform.live.LiveFanOut;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * GET /health for load balancers: 200 when the event store and the SQL read model answer, 503 when either does not.
 * Redis being down degrades (reads go to SQL) but does not make the node unhealthy.
 */
@RestController
@Tag(name = "Operations")
public class HealthController {

    private static final long CHECK_TIMEOUT_MS = 2_000;

    private final EventStoreConnection eventStore;
    private final JdbcTemplate jdbc;
    private final CacheStore cache;
    private final LiveFanOut fanOut;

    public HealthController(EventStoreConnection eventStore, JdbcTemplate jdbc, CacheStore cache,
                            LiveFanOut fanOut) {
        this.eventStore = eventStore;
        this.jdbc = jdbc;
        this.cache = cache;
        this.fanOut = fanOut;
    }

    @GetMapping("/health")
    @Operation(summary = "Health of the node and of each store it depends on")
    public ResponseEntity<Map<String, Object>> health() {
        CompletableFuture<Boolean> events = check(() -> eventStore.database().runCommand(new Document("ping", 1))
                                                                  .get("ok") != null);
        CompletableFuture<Boolean> sql = check(() -> {
            Integer one = jdbc.queryForObject("SELECT 1", Integer.class);
            return one != null && one == 1;
        });
        CompletableFuture<Boolean> redis = check(cache::ping);
        CompletableFuture<Boolean> broker = check(fanOut::reachable);
        boolean eventStoreUp = result(events);
        boolean sqlUp = result(sql);
        boolean cacheUp = result(redis);
        boolean brokerUp = result(broker);

        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("event_store", Map.of("status", up(eventStoreUp),
                                         "kind", eventStore.isEmbedded() ? "in-process" : "mongodb"));
        checks.put("mysql", Map.of("status", up(sqlUp)));
        checks.put("redis", Map.of("status", up(cacheUp), "kind", cache.kind()));
        // without RabbitMQ the API works and live events wait in the event store until it is back: degraded
        checks.put("rabbitmq", Map.of("status", up(brokerUp), "kind", fanOut.kind()));
        boolean healthy = eventStoreUp && sqlUp;
        String status = !healthy ? "unhealthy" : cacheUp && brokerUp ? "healthy" : "degraded";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("checks", checks);
        return ResponseEntity.status(healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }

    private static CompletableFuture<Boolean> check(Supplier<Boolean> probe) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return probe.get();
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    private static boolean result(CompletableFuture<Boolean> check) {
        try {
            return check.get(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    private static String up(boolean up) {
        return up ? "up" : "down";
    }
}
