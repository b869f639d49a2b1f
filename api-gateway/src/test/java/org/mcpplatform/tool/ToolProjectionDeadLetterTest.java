package org.mcpplatform.tool;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.FailingToolProjectionHandler;
import org.mcpplatform.support.PlatformTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.support.Tools.registration;
import static org.mcpplatform.support.Tools.uniqueSlug;

/**
 * A handler of the tool projection's processing group that throws does not make the projection skip the event: the
 * event is parked in the group's dead-letter queue with every later event of the same tool behind it, other tools
 * go on being projected, and once the cause is gone the parked events are applied in order.
 * <p>
 * The failing handler is a test handler in the projection's processing group (the projection itself has no input
 * that makes it throw); it gives this class an application context of its own.
 */
@PlatformTest
@TestPropertySource(properties = "mcp.api.read-your-writes-wait=300ms")
class ToolProjectionDeadLetterTest {

    private static final String POISON = "handler fails on this description";

    @TestConfiguration
    static class FailingHandlerConfiguration {
        @Bean
        FailingToolProjectionHandler failingHandler() {
            return new FailingToolProjectionHandler(POISON);
        }
    }

    @Autowired
    FailingToolProjectionHandler failingHandler;

    @LocalServerPort
    int port;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    JdbcTemplate jdbc;

    private Map<String, Object> row(String id) {
        return jdbc.queryForMap("SELECT revision, version, description FROM mcp_tools WHERE id = ?", id);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void aFailingEventIsParkedWithItsToolsLaterEventsAndAppliedInOrderOnceTheCauseIsGone() throws Exception {
        Api api = new Api(port);
        String poisoned = api.post("/api/v1/mcps", registration(uniqueSlug("dlq"))).json().get("id").asText();
        String healthy = api.post("/api/v1/mcps", registration(uniqueSlug("dlq-ok"))).json().get("id").asText();

        assertThat(api.patch("/api/v1/mcps/" + poisoned, "{\"description\": \"" + POISON + "\"}").status())
                .isEqualTo(200);
        assertThat(api.patch("/api/v1/mcps/" + poisoned, "{\"version\": \"2.0.0\"}").status()).isEqualTo(200);
        assertThat(api.patch("/api/v1/mcps/" + healthy, "{\"version\": \"3.0.0\"}").status()).isEqualTo(200);

        // the other tool is projected: the processor is not stuck on the failure
        await(() -> ((Number) row(healthy).get("revision")).longValue() == 2, "the healthy tool is projected");
        assertThat(row(healthy).get("version")).isEqualTo("3.0.0");

        SequencedDeadLetterQueue<EventMessage<?>> queue =
                processing.deadLetterQueue(ToolProjection.PROCESSING_GROUP).orElseThrow();
        await(() -> queue.amountOfSequences() == 1 && queue.size() == 2, "both events of the tool are parked");
        List<Object> parked = new ArrayList<>();
        for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue.deadLetters()) {
            sequence.forEach(letter -> parked.add(letter.message().getPayload()));
        }
        assertThat(parked).extracting(payload -> ((ToolUpdated) payload).toolId()).containsOnly(poisoned);
        assertThat(parked).extracting(payload -> ((ToolUpdated) payload).description(),
                                      payload -> ((ToolUpdated) payload).version())
                          .containsExactly(org.assertj.core.groups.Tuple.tuple(POISON, "1.0.0"),
                                           org.assertj.core.groups.Tuple.tuple(POISON, "2.0.0"));
        // neither parked event reached the read model: the tool stays as it was before the failing one
        assertThat(row(poisoned).get("revision")).isEqualTo(1L);

        failingHandler.heal();
        var retry = processing.sequencedDeadLetterProcessor(ToolProjection.PROCESSING_GROUP).orElseThrow();
        assertThat(retry.processAny()).isTrue();

        assertThat(queue.size()).isZero();
        Map<String, Object> repaired = row(poisoned);
        assertThat(repaired.get("revision")).isEqualTo(3L);
        assertThat(repaired.get("description")).isEqualTo(POISON);
        assertThat(repaired.get("version")).isEqualTo("2.0.0");
        assertThat(api.get("/api/v1/mcps/" + poisoned).json().get("version").asText()).isEqualTo("2.0.0");
    }
}
