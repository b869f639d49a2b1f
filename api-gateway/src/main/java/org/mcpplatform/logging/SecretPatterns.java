package org.mcpplatform.logging;

import java.util.regex.Pattern;

/**
 * The formats of the platform's own credentials. The code that issues and checks them and the log redaction read the
 * same definitions, so a change of format cannot leave the logs showing the new keys.
 */
public final class SecretPatterns {

    /** Every API key starts with this; it is not secret. */
    public static final String API_KEY_PREFIX = "mcp_";
    /** Every refresh token starts with this; it is not secret. */
    public static final String REFRESH_TOKEN_PREFIX = "mcpr_";
    /** Lower-case hex characters of an API key's id, the part after {@link #API_KEY_PREFIX}. */
    public static final int API_KEY_ID_LENGTH = 32;
    /** base64url characters (no padding) of a secret part: 32 random bytes. */
    public static final int SECRET_LENGTH = 43;

    private static final String BASE64URL = "[A-Za-z0-9_-]";

    /** An API key exactly: {@code mcp_} + 32 lower-case hex (the key id) + {@code _} + 43 base64url (the secret). */
    public static final Pattern API_KEY = Pattern.compile(
            Pattern.quote(API_KEY_PREFIX) + "([0-9a-f]{" + API_KEY_ID_LENGTH + "})_(" + BASE64URL + "{" + SECRET_LENGTH
                    + "})");
    /** A refresh token exactly: {@code mcpr_} + 43 base64url. */
    public static final Pattern REFRESH_TOKEN = Pattern.compile(
            Pattern.quote(REFRESH_TOKEN_PREFIX) + BASE64URL + "{" + SECRET_LENGTH + "}");
    /** A JSON Web Token: three base64url segments, the first an encoded JSON object (so it starts with eyJ). */
    public static final Pattern JWT = Pattern.compile("eyJ" + BASE64URL + "*\\." + BASE64URL + "+\\." + BASE64URL + "*");

    /**
     * The credential of an Authorization header: {@code Bearer} or {@code Basic} and a token with a digit, a symbol
     * or a capital inside it, or of 16 characters or more; so "Bearer token is malformed" and "Basic authentication"
     * are words, not credentials. Group 1 is the scheme.
     */
    public static final Pattern AUTHORIZATION_CREDENTIAL;

    static {
        String character = "[^\\s\"',;\\\\]";
        AUTHORIZATION_CREDENTIAL = Pattern.compile("(?i:\\b(bearer|basic))\\s+(?!\\*\\*\\*)(?=" + character
                + "*[^A-Za-z\\s\"',;\\\\]|" + character + "+[A-Z]|" + character + "{16})" + character + "+");
    }

    // What the log redaction looks for: the same formats, but also truncated or over-long ones (a mistyped key is
    // still somebody's key), and only where the credential starts at a word boundary.

    static final Pattern API_KEY_IN_TEXT = Pattern.compile(
            "(?<![A-Za-z0-9])" + Pattern.quote(API_KEY_PREFIX) + "([0-9a-f]{4})[0-9a-f]{12,}_" + BASE64URL + "+");
    static final Pattern REFRESH_TOKEN_IN_TEXT = Pattern.compile(
            "(?<![A-Za-z0-9])" + Pattern.quote(REFRESH_TOKEN_PREFIX) + BASE64URL + "{16,}");
    static final Pattern JWT_IN_TEXT = Pattern.compile(
            "(?<![A-Za-z0-9_-])eyJ" + BASE64URL + "+\\." + BASE64URL + "+\\." + BASE64URL + "*");

    private SecretPatterns() {
    }

    public static boolean isApiKey(CharSequence value) {
        return API_KEY.matcher(value).matches();
    }

    public static boolean isRefreshToken(CharSequence value) {
        return REFRESH_TOKEN.matcher(value).matches();
    }

    public static boolean isJwt(CharSequence value) {
        return JWT.matcher(value).matches();
    }
}
