package org.mcpplatform.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The refresh token format: {@code mcpr_} and 256 random bits in base64url (43 characters). The start makes a leaked
 * token recognisable to secret scanners and log redaction, and distinct from API keys ({@code mcp_}). Stored as
 * SHA-256: 256 random bits cannot be guessed from a fast hash.
 */
public final class RefreshTokens {

    public static final String START = "mcpr_";
    private static final Pattern FORMAT = Pattern.compile("^mcpr_[A-Za-z0-9_-]{43}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private RefreshTokens() {
    }

    static String newToken() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return START + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** Whether a presented value can be a refresh token at all; anything else is refused without a lookup. */
    public static boolean isWellFormed(String token) {
        return token != null && token.length() == START.length() + 43 && FORMAT.matcher(token).matches();
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
