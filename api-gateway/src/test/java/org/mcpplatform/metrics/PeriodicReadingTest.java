package org.mcpplatform.metrics;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** What keeps a scrape cheap: a gauge's store is read once per refresh interval, however often it is asked. */
class PeriodicReadingTest {

    @Test
    void withinTheIntervalTheStoreIsReadOnce() {
        AtomicInteger reads = new AtomicInteger();
        PeriodicReading<Integer> reading = new PeriodicReading<>(Duration.ofHours(1), reads::incrementAndGet, "test");

        assertThat(reading.get()).contains(1);
        assertThat(reading.get()).contains(1);
        assertThat(reads).hasValue(1);
    }

    @Test
    void aFailedReadIsKeptAsNoValueForTheIntervalInsteadOfBeingRetriedOnEveryScrape() {
        AtomicInteger reads = new AtomicInteger();
        PeriodicReading<Integer> reading = new PeriodicReading<>(Duration.ofHours(1), () -> {
            reads.incrementAndGet();
            throw new IllegalStateException("the database is down");
        }, "test");

        assertThat(reading.get()).isEmpty();
        assertThat(reading.get()).isEmpty();
        assertThat(reads).hasValue(1);
    }

    @Test
    void aZeroIntervalReadsOnEveryCall() {
        AtomicInteger reads = new AtomicInteger();
        PeriodicReading<Integer> reading = new PeriodicReading<>(Duration.ZERO, reads::incrementAndGet, "test");

        assertThat(reading.get()).contains(1);
        assertThat(reading.get()).contains(2);
    }
}
