package org.mcpplatform.live;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A subject live subscribers follow: {@code tool:{id}}, {@code tools} (every tool the user may read),
 * {@code deployment:{id}}, {@code task:{id}} (an asynchronous operation the user started; today deployments),
 * {@code user:{id}} (one's own account) and {@code admin:broadcast}.
 */
public record Topic(Kind kind, String id) {

    public enum Kind { TOOL, TOOLS, DEPLOYMENT, TASK, USER, BROADCAST }

    public static final Topic TOOLS = new Topic(Kind.TOOLS, null);
    public static final Topic BROADCAST = new Topic(Kind.BROADCAST, null);

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

    public static Optional<Topic> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String topic = text.strip();
        if (topic.equals("tools")) {
            return Optional.of(TOOLS);
        }
        if (topic.equals("admin:broadcast")) {
            return Optional.of(BROADCAST);
        }
        int colon = topic.indexOf(':');
        if (colon < 0 || !ID.matcher(topic.substring(colon + 1)).matches()) {
            return Optional.empty();
        }
        String id = topic.substring(colon + 1);
        return switch (topic.substring(0, colon)) {
            case "tool" -> Optional.of(tool(id));
            case "deployment" -> Optional.of(new Topic(Kind.DEPLOYMENT, id));
            case "task" -> Optional.of(new Topic(Kind.TASK, id));
            case "user" -> Optional.of(new Topic(Kind.USER, id));
            default -> Optional.empty();
        };
    }

    public static Topic tool(String id) {
        return new Topic(Kind.TOOL, id);
    }

    public static Topic deployment(String id) {
        return new Topic(Kind.DEPLOYMENT, id);
    }

    public static Topic task(String id) {
        return new Topic(Kind.TASK, id);
    }

    public static Topic user(String id) {
        return new Topic(Kind.USER, id);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case TOOLS -> "tools";
            case BROADCAST -> "admin:broadcast";
            case TOOL -> "tool:" + id;
            case DEPLOYMENT -> "deployment:" + id;
            case TASK -> "task:" + id;
            case USER -> "user:" + id;
        };
    }
}
