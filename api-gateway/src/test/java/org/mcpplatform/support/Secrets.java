package org.mcpplatform.support;

import org.mcpplatform.logging.SecretPatterns;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every password, token and API key the tests create, so that SecretsNeverLoggedTest can check, at the end of the
 * run, that none of them reached the log. Call {@link #remember} for each secret a test makes up or receives;
 * {@link Api} remembers the credential headers it sends by itself.
 */
public final class Secrets {

    /**
     * Shorter values are not checked: they would be found in unrelated text (a password "admin123" is fine, "abc"
     * would match half the log).
     */
    public static final int MIN_LENGTH = 8;

    /** Nor are values of fewer different characters ("aaaaaaaa", "12121212"): they occur in unrelated text too. */
    public static final int MIN_DISTINCT = 4;

    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
                                                                 "x-api-key");
    private static final Set<Remembered> REMEMBERED = ConcurrentHashMap.newKeySet();

    /**
     * A secret to look for.
     *
     * @param kind         what it is ("API key", "password"...): the only thing a failure shows of it
     * @param value        the secret itself, never to be printed
     * @param rememberedBy the test class that remembered it
     */
    public record Remembered(String kind, String value, String rememberedBy) {
        @Override
        public String toString() {
            return kind + " remembered by " + rememberedBy;
        }
    }

    private Secrets() {
    }

    /** Remembers {@code secret}, its kind told by its format (API key, refresh token, JWT, else "secret"). */
    public static <T extends CharSequence> T remember(T secret) {
        return remember(kindOf(secret), secret);
    }

    public static <T extends CharSequence> T remember(String kind, T secret) {
        if (secret != null && secret.length() >= MIN_LENGTH && secret.chars().distinct().count() >= MIN_DISTINCT) {
            REMEMBERED.add(new Remembered(kind, secret.toString(), caller()));
        }
        return secret;
    }

    /** Remembers the value of a credential header (Authorization, Cookie, X-API-Key), and its credential alone. */
    public static void rememberHeader(String name, String value) {
        if (value == null || !CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            return;
        }
        remember(name + " header value", value);
        int scheme = value.indexOf(' ');
        if (name.toLowerCase(Locale.ROOT).endsWith("authorization") && scheme > 0) {
            remember(name + " header credential", value.substring(scheme + 1).strip());
        }
    }

    public static Collection<Remembered> all() {
        return List.copyOf(REMEMBERED);
    }

    private static String kindOf(CharSequence secret) {
        if (secret == null) {
            return "secret";
        }
        if (SecretPatterns.isApiKey(secret)) {
            return "API key";
        }
        if (SecretPatterns.isRefreshToken(secret)) {
            return "refresh token";
        }
        if (SecretPatterns.isJwt(secret)) {
            return "JWT";
        }
        return "password or other secret";
    }

    private static String caller() {
        return StackWalker.getInstance().walk(frames -> frames
                .map(StackWalker.StackFrame::getClassName)
                .filter(name -> !name.equals(Secrets.class.getName()) && !name.equals(Api.class.getName()))
                .findFirst().orElse("?"));
    }
}
