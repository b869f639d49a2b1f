package org.mcpplatform.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Budgets of failed authentication attempts: per username (guessing one account's password from many addresses)
 * and per client IP (trying many accounts, or many API keys, from one address). Once either budget is used up,
 * attempts are refused before the credentials are even checked, until enough of the budget has come back; each
 * failure comes back after {@code window / budget}. Buckets live where {@link RateLimiter} keeps them (Redis, shared
 * by all nodes; in process on the embedded default or while Redis is unreachable).
 * <p>
 * The login endpoint:
 * <pre>{@code
 * authFailures.checkNotBlocked(username, ClientAddress.of(request));   // 429 with Retry-After when blocked
 * if (!passwordMatches) { authFailures.recordFailure(username, ClientAddress.of(request)); -> 401 }
 * authFailures.recordSuccess(username);
 * }</pre>
 * API key authentication does the same with a null username. The check and the record are separate calls, so
 * attempts racing in parallel can each pass the check; every one of them is still recorded, which leaves the
 * budget in debt and blocks the caller for correspondingly longer.
 */
public class AuthFailureLimiter {

    /** Longer names are hashed into the key, so that a client cannot make Redis store megabyte keys. */
    private static final int MAX_KEYED_USERNAME = 128;

    private final RateLimiter buckets;
    private final Limit perUsername;
    private final Limit perIp;

    public AuthFailureLimiter(RateLimiter buckets, Limit perUsername, Limit perIp) {
        this.buckets = buckets;
        this.perUsername = perUsername;
        this.perIp = perIp;
    }

    /**
     * How long the caller must wait before an attempt for {@code username} from {@code clientIp} is accepted;
     * empty when it may try now.
     *
     * @param username the name given at login (any case), or null for an API key attempt
     * @param clientIp the client's address ({@link ClientAddress#of})
     */
    public Optional<Duration> blockedFor(String username, String clientIp) {
        return refusal(username, clientIp).map(RateLimitExceededException::retryAfter);
    }

    /** Throws when {@link #blockedFor} would say the caller must wait; the exception answers 429 by itself. */
    public void checkNotBlocked(String username, String clientIp) {
        Optional<RateLimitExceededException> refusal = refusal(username, clientIp);
        if (refusal.isPresent()) {
            throw refusal.get();
        }
    }

    /** Counts a failed login (wrong password, unknown user) or, with a null username, an unknown API key. */
    public void recordFailure(String username, String clientIp) {
        Optional<String> user = usernameKey(username);
        user.ifPresent(key -> buckets.consumeRegardless(key, perUsername));
        buckets.consumeRegardless(ipKey(clientIp), perIp);
    }

    /**
     * Gives a user whose login succeeded their whole budget back, so that earlier typos do not count against a
     * later session. The address's budget is left as it is: one success must not wipe out guesses at other accounts.
     */
    public void recordSuccess(String username) {
        usernameKey(username).ifPresent(key -> buckets.reset(key, perUsername));
    }

    private Optional<RateLimitExceededException> refusal(String username, String clientIp) {
        Optional<RateLimitExceededException> byUser = usernameKey(username)
                .flatMap(key -> buckets.waitFor(key, perUsername))
                .map(wait -> new RateLimitExceededException(perUsername.capacity(), wait));
        Optional<RateLimitExceededException> byIp = buckets.waitFor(ipKey(clientIp), perIp)
                .map(wait -> new RateLimitExceededException(perIp.capacity(), wait));
        if (byUser.isPresent() && byIp.isPresent()) {
            return byUser.get().retryAfter().compareTo(byIp.get().retryAfter()) >= 0 ? byUser : byIp;
        }
        return byUser.isPresent() ? byUser : byIp;
    }

    private static Optional<String> usernameKey(String username) {
        if (username == null || username.isBlank()) {
            return Optional.empty();
        }
        // "Alice" and "alice " are one account to a guesser whatever the login endpoint makes of them
        String folded = username.strip().toLowerCase(Locale.ROOT);
        String name = folded.length() <= MAX_KEYED_USERNAME ? folded : "sha256-" + sha256(folded);
        return Optional.of("ratelimit:username:" + name + ":failed-auth");
    }

    private static String ipKey(String clientIp) {
        Objects.requireNonNull(clientIp, "clientIp");
        return "ratelimit:ip:" + ClientAddress.key(clientIp) + ":failed-auth";
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                                         .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
