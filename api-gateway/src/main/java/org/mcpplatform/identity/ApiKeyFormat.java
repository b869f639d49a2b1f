package org.mcpplatform.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The platform's API keys: {@code mcp_<key id, 32 lower-case hex>_<secret, 43 base64url chars>}. The {@code mcp_}
 * start makes a leaked key recognisable to secret scanners and to the log redaction; the key id finds the stored
 * hash without a search; the secret carries 256 random bits.
 * <p>
 * Stored as SHA-256, not Argon2: a 256-bit random secret cannot be guessed from a fast hash, and a slow hash would
 * cost tens of milliseconds on every request. The check is strict: one character off, or another case, is a
 * different key.
 */
public final class ApiKeyFormat {

    public static final String START = "mcp_";
    private static final Pattern KEY = Pattern.compile("^mcp_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeyFormat() {
    }

    /** A new key for {@code keyId}. */
    public static String newKey(String keyId) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return START + keyId.replace("-", "") + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** What listings show: the start and the first 8 characters of the key id. */
    public static String prefix(String keyId) {
        return START + keyId.replace("-", "").substring(0, 8);
    }

    /** Whether a presented credential is meant as an API key (rather than an access token). */
    public static boolean looksLikeKey(String credential) {
        return credential.startsWith(START);
    }

    /** The key id of a well-formed key, as a UUID string; empty for anything else. */
    public static Optional<String> keyId(String key) {
        Matcher matcher = KEY.matcher(key);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String hex = matcher.group(1);
        return Optional.of(UUID.fromString(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-"
                                                   + hex.substring(12, 16) + "-" + hex.substring(16, 20) + "-"
                                                   + hex.substring(20)).toString());
    }

    public static String hash(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    /** Constant-time comparison of a presented key with a stored hash. */
    public static boolean matches(String key, String storedHash) {
        byte[] expected;
        try {
            expected = HexFormat.of().parseHex(storedHash);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sha256(key), expected);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
