package org.mcpplatform.web;

import org.springframework.http.HttpStatus;

import java.util.Map;

/** A resource's revision as a strong entity tag, and If-Match headers read back into a revision. */
public final class ETags {

    private ETags() {
    }

    public static String of(long revision) {
        return "\"" + revision + "\"";
    }

    /**
     * The revision an If-Match header demands, or null when there is none ({@code *} included: the resource exists
     * whenever a command reaches it). A tag that is not one of ours can never match: it demands revision -1.
     */
    public static Long expectedRevision(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        String tag = ifMatch.strip();
        if (tag.contains(",")) {
            throw new ApiFailure(HttpStatus.BAD_REQUEST, "BAD_REQUEST",
                                 "If-Match must hold a single entity tag", Map.of("if_match", ifMatch));
        }
        if (tag.startsWith("W/")) {
            return -1L; // weak tags never match under If-Match's strong comparison
        }
        if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            tag = tag.substring(1, tag.length() - 1);
        }
        try {
            return Long.parseLong(tag);
        } catch (NumberFormatException e) {
            return -1L;
        }
    }
}
