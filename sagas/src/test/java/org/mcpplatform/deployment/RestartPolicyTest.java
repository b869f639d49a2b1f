package org.mcpplatform.deployment;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

class RestartPolicyTest {

    private static final SupervisorProperties.Restart DEFAULTS = new SupervisorProperties.Restart(
            Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(10), 5, Duration.ofMinutes(10));

    private final TestClock clock = new TestClock(Instant.parse("2026-11-25T12:00:00Z"));
    private final RestartPolicy policy = new RestartPolicy();

    @Test
    void backOffDoublesFromOneSecondUpToFiveMinutes() {
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            // three minutes apart: never five failures within ten minutes, never ten minutes healthy
            RestartPolicy.Decision decision = policy.failed(clock.instant(), DEFAULTS);
            assertThat(decision).isInstanceOf(RestartPolicy.Restart.class);
            delays.add(((RestartPolicy.Restart) decision).delay());
            clock.advance(Duration.ofSeconds(10));
            policy.running(clock.instant());
            clock.advance(Duration.ofMinutes(3).minusSeconds(10));
        }
        assertThat(delays).extracting(Duration::toSeconds)
                          .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 300L, 300L, 300L);
    }

    @Test
    void tenMinutesHealthyStartTheBackOffOver() {
        restartAfter(1);
        restartAfter(2);
        restartAfter(4);
        policy.running(clock.instant());
        clock.advance(Duration.ofMinutes(10));
        assertThat(restart()).isEqualTo(Duration.ofSeconds(1));
        assertThat(restart()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void lessThanTenMinutesHealthyKeepsTheBackOff() {
        restartAfter(1);
        restartAfter(2);
        policy.running(clock.instant());
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(restart()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void theFifthFailureWithinTenMinutesFailsTheDeployment() {
        restartAfter(1);
        restartAfter(2);
        restartAfter(4);
        restartAfter(8);
        RestartPolicy.Decision fifth = policy.failed(clock.instant(), DEFAULTS);
        assertThat(fifth).isEqualTo(new RestartPolicy.GiveUp(5, Duration.ofMinutes(10)));
    }

    @Test
    void failuresOlderThanTenMinutesDoNotCount() {
        restartAfter(1);
        clock.advance(Duration.ofMinutes(6));
        restartAfter(2);
        restartAfter(4);
        restartAfter(8);
        // the first failure is now more than ten minutes old
        clock.advance(Duration.ofMinutes(4));
        assertThat(policy.failed(clock.instant(), DEFAULTS)).isInstanceOf(RestartPolicy.Restart.class);
        assertThat(policy.failed(clock.instant(), DEFAULTS)).isInstanceOf(RestartPolicy.GiveUp.class);
    }

    // Property 1: however failures are spaced, a delay is between the initial and the maximum back-off, and the policy
    // gives up exactly when five failures fall within ten minutes.
    @Test
    void givesUpExactlyAtTheFifthFailureInTheWindow() {
        qt().withExamples(200)
            .forAll(lists().of(integers().between(0, 400)).ofSizeBetween(1, 30))
            .checkAssert(gapsInSeconds -> {
                RestartPolicy subject = new RestartPolicy();
                TestClock time = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
                List<Instant> failures = new ArrayList<>();
                for (int gap : gapsInSeconds) {
                    time.advance(Duration.ofSeconds(gap));
                    Instant now = time.instant();
                    failures.add(now);
                    long inWindow = failures.stream().filter(f -> f.isAfter(now.minus(Duration.ofMinutes(10))))
                                            .count();
                    RestartPolicy.Decision decision = subject.failed(now, DEFAULTS);
                    if (inWindow >= 5) {
                        assertThat(decision).isInstanceOf(RestartPolicy.GiveUp.class);
                        return;
                    }
                    assertThat(decision).isInstanceOf(RestartPolicy.Restart.class);
                    Duration delay = ((RestartPolicy.Restart) decision).delay();
                    assertThat(delay).isBetween(Duration.ofSeconds(1), Duration.ofMinutes(5));
                }
            });
    }

    private void restartAfter(long seconds) {
        assertThat(restart()).isEqualTo(Duration.ofSeconds(seconds));
    }

    private Duration restart() {
        RestartPolicy.Decision decision = policy.failed(clock.instant(), DEFAULTS);
        assertThat(decision).isInstanceOf(RestartPolicy.Restart.class);
        Duration delay = ((RestartPolicy.Restart) decision).delay();
        clock.advance(delay);
        return delay;
    }

    /** A clock the test moves. */
    static final class TestClock extends Clock {

        private Instant now;

        TestClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
