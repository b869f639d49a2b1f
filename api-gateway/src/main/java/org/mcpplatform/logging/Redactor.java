package org.mcpplatform.logging;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What makes a text safe to log: credentials replaced by {@value #MASK}, and control characters (CR, LF, ANSI escape
 * sequences, bidirectional overrides) shown as visible escapes so that user input can neither forge log lines nor
 * drive a terminal. {@link PlatformLogFormat} passes every string of every log line through here.
 */
public final class Redactor {

    public static final String MASK = "***";

    /** Names whose values are secret, also as part of a longer name (db_password, GITHUB_TOKEN, X-API-Key). */
    private static final Pattern SECRET_WORD = Pattern.compile(
            "(?i)password|passwd|passphrase|secret|token|api[_-]?key|authorization|credential|private[_-]?key|cookie");
    /** The same words for a quick look whether a text may have such names at all. */
    private static final List<String> SECRET_WORDS = List.of("passw", "passphrase", "secret", "token", "apikey",
                                                             "api_key", "api-key", "authorization", "credential",
                                                             "private", "cookie");
    /** Headers whose whole value is secret, spaces and semicolons included ("Bearer x", "a=1; b=2"). */
    private static final Pattern HEADER_NAME = Pattern.compile(
            "(?i)(?:proxy-)?authorization|(?:set-)?cookie|x-api-key");
    // The patterns below find every name with a value; secretName() then picks the secret ones. (One pattern for
    // secret names only spends most of its time backtracking through package names in stack traces.)
    private static final String NAME = "[A-Za-z0-9_.-]++";

    /** "password": "..." in JSON, and \"password\": \"...\" in JSON that was itself put in a JSON string. */
    private static final Pattern JSON_PAIR = Pattern.compile(
            "(\"(" + NAME + ")\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern ESCAPED_JSON_PAIR = Pattern.compile(
            "(\\\\\"(" + NAME + ")\\\\\"\\s*:\\s*)\\\\\"(?:[^\\\\]|\\\\[^\"])*\\\\\"");
    /**
     * password=..., token: ..., Authorization: Bearer ... (quoted or not). An unquoted value right before an opening
     * bracket is a type name (Axon's "token: GapAwareTrackingToken{index=5}"), not a secret.
     */
    private static final Pattern NAME_VALUE = Pattern.compile(
            "(?<![A-Za-z0-9_.-])(" + NAME + ")(\\s*[=:]\\s*)"
                    + "(\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|[^\\s,;&\"'(){}\\[\\]<>]++(?![({\\[])|)");
    private static final Pattern HEADER_REST = Pattern.compile("[^\\r\\n\"\\]}]*");
    /** The values of a tool config's "env" and "headers" maps: API keys of the servers the tool talks to. */
    private static final Pattern CONFIG_SECRET_MAP = Pattern.compile(
            "(?i)(?:\\\\?[\"']|(?<![A-Za-z0-9_]))(?:env|headers|environment)(?:\\\\?[\"'])?\\s*[:=]\\s*\\{");

    private Redactor() {
    }

    /** The text as it may be logged; null stays null. */
    public static String clean(String text, boolean keepLineBreaks) {
        return text == null ? null : redact(neutralise(text, keepLineBreaks));
    }

    /** The text with every credential this class recognises replaced by {@value #MASK}. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        // most lines hold none of the words the patterns start from: looking for the words first keeps the cost of
        // redacting a line of an access log near that of copying it
        String lower = text.toLowerCase(Locale.ROOT);
        String result = text;
        if (lower.contains("env") || lower.contains("headers")) {
            result = configSecretMaps(result);
        }
        if (result.contains(SecretPatterns.API_KEY_PREFIX)) {
            result = SecretPatterns.API_KEY_IN_TEXT.matcher(result).replaceAll(
                    key -> Matcher.quoteReplacement(SecretPatterns.API_KEY_PREFIX + key.group(1) + MASK));
        }
        if (result.contains(SecretPatterns.REFRESH_TOKEN_PREFIX)) {
            result = SecretPatterns.REFRESH_TOKEN_IN_TEXT.matcher(result).replaceAll(
                    Matcher.quoteReplacement(SecretPatterns.REFRESH_TOKEN_PREFIX + MASK));
        }
        if (result.contains("eyJ")) {
            result = SecretPatterns.JWT_IN_TEXT.matcher(result).replaceAll(MASK);
        }
        if (lower.contains("bearer") || lower.contains("basic")) {
            result = SecretPatterns.AUTHORIZATION_CREDENTIAL.matcher(result).replaceAll(
                    scheme -> Matcher.quoteReplacement(scheme.group(1) + " " + MASK));
        }
        if (SECRET_WORDS.stream().noneMatch(lower::contains)) {
            return result;
        }
        result = JSON_PAIR.matcher(result).replaceAll(pair -> Matcher.quoteReplacement(
                secretName(pair.group(2)) ? pair.group(1) + "\"" + MASK + "\"" : pair.group()));
        result = ESCAPED_JSON_PAIR.matcher(result).replaceAll(pair -> Matcher.quoteReplacement(
                secretName(pair.group(2)) ? pair.group(1) + "\\\"" + MASK + "\\\"" : pair.group()));
        return nameValues(result);
    }

    /** MongoTokenStore.java:123 in a stack trace is a file and a line number, not a secret. */
    private static boolean secretName(String name) {
        return SECRET_WORD.matcher(name).find() && !name.endsWith(".java") && !name.endsWith(".kt");
    }

    private static String nameValues(String text) {
        Matcher pair = NAME_VALUE.matcher(text);
        if (!pair.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        do {
            if (!secretName(pair.group(1))) {
                continue; // its value may hold a name=value of its own: "note: password=x"
            }
            String value = pair.group(3);
            int valueEnd = pair.end();
            if (HEADER_NAME.matcher(pair.group(1)).matches() && !value.startsWith("\"") && !value.startsWith("'")) {
                Matcher rest = HEADER_REST.matcher(text).region(pair.start(3), text.length());
                valueEnd = rest.lookingAt() ? rest.end() : valueEnd;
            }
            if (valueEnd == pair.start(3)) {
                continue; // "token:" with nothing after it
            }
            out.append(text, copied, pair.start(3));
            out.append(value.startsWith("\"") ? "\"" + MASK + "\"" : value.startsWith("'") ? "'" + MASK + "'" : MASK);
            copied = valueEnd;
        } while (copied < text.length() && pair.find(Math.max(copied, pair.start(3))));
        return out.append(text, copied, text.length()).toString();
    }

    /**
     * Every value inside "env": {...} and "headers": {...}: in JSON, in JSON put inside a JSON string (\"env\"), and
     * in Map.toString form (env={KEY=value}).
     */
    private static String configSecretMaps(String text) {
        Matcher start = CONFIG_SECRET_MAP.matcher(text);
        if (!start.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        do {
            int open = start.end() - 1;
            String quote = start.group().startsWith("\\") ? "\\\"" : "\"";
            out.append(text, copied, open);
            copied = maskMapValues(text, open, quote, out);
        } while (copied < text.length() && start.find(copied));
        return out.append(text, copied, text.length()).toString();
    }

    /**
     * Copies the map opening at {@code open} to {@code out} with every string that is not a member name replaced by
     * the mask, and returns the index after it. Unterminated maps are masked to the end of the text.
     */
    private static int maskMapValues(String text, int open, String quote, StringBuilder out) {
        int first = open + 1;
        while (first < text.length() && Character.isWhitespace(text.charAt(first))) {
            first++;
        }
        boolean json = text.startsWith(quote, first) || text.startsWith("}", first);
        int depth = 0;
        int i = open;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (json && text.startsWith(quote, i)) {
                int end = stringEnd(text, i, quote);
                int next = end;
                while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
                    next++;
                }
                boolean memberName = next < text.length() && text.charAt(next) == ':';
                out.append(memberName ? text.substring(i, end) : quote + MASK + quote);
                i = end;
                continue;
            }
            if (!json && c == '=') {
                int end = i + 1;
                while (end < text.length() && text.charAt(end) != ',' && text.charAt(end) != '}') {
                    end++;
                }
                out.append('=').append(MASK);
                i = end;
                continue;
            }
            out.append(c);
            i++;
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return i;
    }

    /** The index after the string starting at {@code start} with {@code quote} (" or \" one escaping level down). */
    private static int stringEnd(String text, int start, String quote) {
        int i = start + quote.length();
        while (i < text.length()) {
            if (text.startsWith(quote, i)) {
                return i + quote.length();
            }
            if (text.charAt(i) == '\\') {
                // an escape: one level down its second character may itself be escaped (\\\" is an escaped quote)
                i += quote.length() > 1 && i + 2 < text.length() && text.charAt(i + 2) == '\\' ? 4 : 2;
            } else {
                i++;
            }
        }
        return text.length();
    }

    /**
     * Control characters as visible escapes: {@code \r}, {@code \n} (unless line breaks are kept), {@code \u001b}
     * for ESC and the other C0/C1 controls (tab stays), and the Unicode line separators and bidi overrides, which
     * some viewers also obey.
     */
    public static String neutralise(String text, boolean keepLineBreaks) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = unsafe(c, keepLineBreaks);
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    private static String unsafe(char c, boolean keepLineBreaks) {
        if (c == '\t' || (keepLineBreaks && (c == '\n' || c == '\r'))) {
            return null;
        }
        if (c == '\n') {
            return "\\n";
        }
        if (c == '\r') {
            return "\\r";
        }
        boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
        boolean lineOrBidi = c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
        return control || lineOrBidi ? String.format("\\u%04x", (int) c) : null;
    }
}
