package org.mcpplatform.support;

import org.mcpplatform.logging.SecretPatterns;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.quicktheories.generators.Generate.longRange;
import static org.quicktheories.generators.Generate.range;

/** Generators of credentials in the platform's formats and of passwords, for property tests. */
public final class SecretGenerators {

    public static final String HEX = "0123456789abcdef";
    public static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    /** Characters a value may hold without quoting in key=value text, a URL query or a cookie. */
    public static final String TOKEN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%*+-./:?@^_|~";
    /** Anything printable, quotes, backslashes, braces and spaces included, and some non-ASCII. */
    public static final String PRINTABLE;

    static {
        StringBuilder printable = new StringBuilder();
        for (char c = 0x20; c < 0x7f; c++) {
            printable.append(c);
        }
        PRINTABLE = printable.append("éüßøñ日本語Ωж").toString();
    }

    private static final Gen<Long> SEEDS = longRange(Long.MIN_VALUE, Long.MAX_VALUE);
    private static final AtomicLong TEXTS = new AtomicLong();

    private SecretGenerators() {
    }

    public static Gen<String> strings(String alphabet, int minLength, int maxLength) {
        return random -> text(random, alphabet, range(minLength, maxLength).generate(random));
    }

    /**
     * Random characters from a seed QuickTheories draws (so a run is still reproducible): drawing each character
     * from QuickTheories itself would favour its shrink target, and "AAAAAAAA" is no secret. QuickTheories also
     * draws the edges of a range (0, min, max) on purpose, so the seed is mixed with a count of the texts made:
     * two secrets of one example must not be the same characters.
     */
    public static String text(RandomnessSource random, String alphabet, int length) {
        SplittableRandom characters = new SplittableRandom(SEEDS.generate(random) + 0x9E3779B97F4A7C15L
                * TEXTS.incrementAndGet());
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(characters.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** mcp_ + 32 hex + _ + 43 base64url, as the platform issues them. */
    public static Gen<String> apiKeys() {
        return random -> SecretPatterns.API_KEY_PREFIX + text(random, HEX, SecretPatterns.API_KEY_ID_LENGTH) + "_"
                + text(random, BASE64URL, SecretPatterns.SECRET_LENGTH);
    }

    /** mcpr_ + 43 base64url. */
    public static Gen<String> refreshTokens() {
        return random -> SecretPatterns.REFRESH_TOKEN_PREFIX + text(random, BASE64URL, SecretPatterns.SECRET_LENGTH);
    }

    /** header.payload.signature, the first two encoded JSON objects. */
    public static Gen<String> jwts() {
        return random -> {
            Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
            String header = encoder.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            String payload = encoder.encodeToString(("{\"sub\":\"" + text(random, HEX, 32) + "\",\"exp\":"
                    + range(1_000_000, Integer.MAX_VALUE).generate(random) + "}").getBytes(StandardCharsets.UTF_8));
            return header + "." + payload + "." + text(random, BASE64URL, range(43, 342).generate(random));
        };
    }

    /** Passwords of any printable characters. */
    public static Gen<String> passwords() {
        return strings(PRINTABLE, 8, 40);
    }
}
