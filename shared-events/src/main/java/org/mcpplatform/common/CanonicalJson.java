package org.mcpplatform.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON in one canonical form (object members sorted by name at every depth, no whitespace) and its SHA-256, so that
 * two values that differ only in member order are equal: the tool aggregate tells a changed config from a re-sent one
 * by 64 characters, and deployments pin the tools a server lists the same way.
 */
public final class CanonicalJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CanonicalJson() {
    }

    /** The value with object members sorted by name, written without whitespace. */
    public static String canonical(JsonNode value) {
        try {
            return JSON.writeValueAsString(sorted(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SHA-256 of the canonical form, in lower-case hex. */
    public static String digest(JsonNode value) {
        try {
            byte[] canonical = canonical(value).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static JsonNode sorted(JsonNode value) {
        if (value.isObject()) {
            TreeMap<String, JsonNode> members = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                members.put(member.getKey(), sorted(member.getValue()));
            }
            ObjectNode result = JSON.createObjectNode();
            members.forEach(result::set);
            return result;
        }
        if (value.isArray()) {
            var result = JSON.createArrayNode();
            value.forEach(element -> result.add(sorted(element)));
            return result;
        }
        return value;
    }
}
