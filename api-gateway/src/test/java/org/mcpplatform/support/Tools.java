package org.mcpplatform.support;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Request bodies for tools. */
public final class Tools {

    private Tools() {
    }

    public static String uniqueSlug(String stem) {
        return stem + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    public static ObjectNode stdioConfig(String command, String... args) {
        ObjectNode config = Api.JSON.createObjectNode();
        ObjectNode server = config.putObject("mcpServers").putObject("main");
        server.put("command", command);
        var argv = server.putArray("args");
        for (String arg : args) {
            argv.add(arg);
        }
        return config;
    }

    public static ObjectNode registration(String name, String slug, String version, ObjectNode config) {
        ObjectNode body = Api.JSON.createObjectNode();
        body.put("name", name);
        body.put("slug", slug);
        body.put("description", "A tool called " + name);
        body.put("version", version);
        body.set("config", config);
        return body;
    }

    public static ObjectNode registration(String slug) {
        return registration("Tool " + slug, slug, "1.0.0", stdioConfig("npx", "-y", "@modelcontextprotocol/server-memory"));
    }

    public static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    public static List<Object> list(Object... items) {
        return List.of(items);
    }
}
