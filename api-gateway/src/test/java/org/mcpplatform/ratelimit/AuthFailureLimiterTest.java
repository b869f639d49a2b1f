package org.mcpplatform.ratelimit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.PlatformTest;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Failed-login and failed-API-key budgets with the production defaults (10 per username, 50 per address, in
 * 15 minutes), each test in Redis (the platform's buckets) and in process (the embedded default).
 */
@PlatformTest
class AuthFailureLimiterTest {

    static final Limit PER_USERNAME = new Limit(10, Duration.ofMinutes(15));
    static final Limit PER_IP = new Limit(50, Duration.ofMinutes(15));
    private static final RateLimiter IN_PROCESS = RateLimiter.inProcess();

    @Autowired
    RateLimiter redisBacked;

    @AfterAll
    static void close() {
        IN_PROCESS.close();
    }

    List<AuthFailureLimiter> limiters() {
        return List.of(new AuthFailureLimiter(redisBacked, PER_USERNAME, PER_IP),
                       new AuthFailureLimiter(IN_PROCESS, PER_USERNAME, PER_IP));
    }

    @Test
    void theEleventhAttemptForOneUsernameIsBlockedWithARetryAfterWhateverTheCaseAndAddress() {
        for (AuthFailureLimiter limiter : limiters()) {
            String username = "Alice-" + UUID.randomUUID();
            for (int failure = 1; failure <= 10; failure++) {
                assertThat(limiter.blockedFor(username, randomIpv4())).as("attempt %d", failure).isEmpty();
                limiter.recordFailure(username, randomIpv4());
            }

            assertThat(limiter.blockedFor(username, randomIpv4())).hasValueSatisfying(wait -> assertThat(wait)
                    .isPositive().isLessThanOrEqualTo(PER_USERNAME.period().dividedBy(PER_USERNAME.capacity())));
            assertThat(limiter.blockedFor(" " + username.toUpperCase() + " ", randomIpv4())).isPresent();
            assertThatThrownBy(() -> limiter.checkNotBlocked(username.toLowerCase(), randomIpv4()))
                    .isInstanceOfSatisfying(RateLimitExceededException.class, refusal -> {
                        assertThat(refusal.limit()).isEqualTo(10);
                        assertThat(refusal.retryAfterSeconds()).isBetween(1L, 90L);
                    });

            // other accounts, and API keys, are not held up by one account's failures
            String ip = randomIpv4();
            assertThat(limiter.blockedFor("bob-" + UUID.randomUUID(), ip)).isEmpty();
            assertThat(limiter.blockedFor(null, ip)).isEmpty();
        }
    }

    @Test
    void anAddressThatUsedUpItsBudgetIsBlockedForEveryUsernameAndForApiKeys() {
        for (AuthFailureLimiter limiter : limiters()) {
            String guesser = randomIpv4();
            for (int failure = 1; failure <= 50; failure++) {
                // half of them wrong API keys, the others logins to ever new accounts
                limiter.recordFailure(failure % 2 == 0 ? null : "user-" + UUID.randomUUID(), guesser);
            }

            assertThat(limiter.blockedFor("someone-" + UUID.randomUUID(), guesser)).isPresent();
            assertThat(limiter.blockedFor(null, guesser)).hasValueSatisfying(wait -> assertThat(wait).isPositive());
            assertThatThrownBy(() -> limiter.checkNotBlocked(null, guesser))
                    .isInstanceOfSatisfying(RateLimitExceededException.class,
                                            refusal -> assertThat(refusal.limit()).isEqualTo(50));
            assertThat(limiter.blockedFor("someone-" + UUID.randomUUID(), randomIpv4())).isEmpty();
        }
    }

    @Test
    void oneIpv6SubscriberIsOneAddressWhicheverOfItsAddressesItUses() {
        for (RateLimiter buckets : List.of(redisBacked, IN_PROCESS)) {
            AuthFailureLimiter limiter =
                    new AuthFailureLimiter(buckets, PER_USERNAME, new Limit(3, Duration.ofMinutes(15)));
            String network = String.format("2001:db8:%x:%x", ThreadLocalRandom.current().nextInt(0x10000),
                                           ThreadLocalRandom.current().nextInt(0x10000));
            for (int host = 1; host <= 3; host++) {
                limiter.recordFailure(null, network + "::" + Integer.toHexString(host));
            }
            assertThat(limiter.blockedFor(null, network + ":ffff:ffff:ffff:ffff")).isPresent();
            assertThat(limiter.blockedFor(null, "2001:db8:ffff:ffff::1")).isEmpty();
        }
    }

    @Test
    void aSuccessfulLoginGivesTheUsernameItsBudgetBackButNotTheAddress() {
        for (AuthFailureLimiter limiter : limiters()) {
            String username = "carol-" + UUID.randomUUID();
            String ip = randomIpv4();
            for (int failure = 1; failure <= 10; failure++) {
                limiter.recordFailure(username, ip);
            }
            assertThat(limiter.blockedFor(username, randomIpv4())).isPresent();

            limiter.recordSuccess(username.toUpperCase());

            assertThat(limiter.blockedFor(username, randomIpv4())).isEmpty();
        }
    }

    @Test
    void failuresThatRacedPastTheCheckAllCountAndLengthenTheBlock() {
        for (AuthFailureLimiter limiter : limiters()) {
            String username = "dave-" + UUID.randomUUID();
            for (int failure = 1; failure <= 11; failure++) {
                limiter.recordFailure(username, randomIpv4());
            }
            Duration afterEleven = limiter.blockedFor(username, randomIpv4()).orElseThrow();
            for (int failure = 1; failure <= 5; failure++) {
                limiter.recordFailure(username, randomIpv4());
            }
            Duration perFailure = PER_USERNAME.period().dividedBy(PER_USERNAME.capacity());
            assertThat(limiter.blockedFor(username, randomIpv4()).orElseThrow())
                    .isGreaterThan(afterEleven.plus(perFailure.multipliedBy(4)));
        }
    }

    static String randomIpv4() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
    }
}
