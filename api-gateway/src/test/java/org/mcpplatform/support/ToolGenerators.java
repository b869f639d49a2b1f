package org.mcpplatform.support;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.quicktheories.generators.Generate.constant;
import static org.quicktheories.generators.Generate.frequency;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.Generate.range;

/**
 * QuickTheories generators of valid tool input, as varied as the rules allow: names of 1 to 255 code points from
 * the whole of Unicode, slugs of the full slug alphabet up to 255 characters, versions with large and leading-zero
 * numbers, absent, short and maximal descriptions, and configs with stdio and remote servers that satisfy
 * {@code mcp-config.schema.json}.
 * <p>
 * Generators are built from plain draws ({@code random -> ...}) so that QuickTheories can shrink every part of a
 * failing example. Slugs are generated as stems: a failing example is re-run while shrinking, so uniqueness must
 * come from {@link NewTool#slug()} at run time, never from the generated value.
 */
public final class ToolGenerators {

    private static final AtomicLong SLUG_COUNTER = new AtomicLong();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    /** "-" + run + "-" + a seven-digit counter: fixed width, so no suffix is the beginning of another. */
    private static final int SLUG_SUFFIX_RESERVE = 15;

    private ToolGenerators() {
    }

    /** A registration body; {@code slugStem} becomes a fresh slug each time {@link #slug()} is asked. */
    public record NewTool(String name, String slugStem, String description, String version, ObjectNode config) {

        /** A slug no other registration has: the stem plus a per-run unique suffix (still ^[a-z0-9-]+$, <= 255). */
        public String freshSlug() {
            return slugStem + "-" + RUN + "-" + String.format("%07d", SLUG_COUNTER.incrementAndGet());
        }

        public ObjectNode body(String slug) {
            ObjectNode body = Api.JSON.createObjectNode();
            body.put("name", name);
            body.put("slug", slug);
            if (description == null) {
                body.putNull("description");
            } else {
                body.put("description", description);
            }
            body.put("version", version);
            body.set("config", config.deepCopy());
            return body;
        }
    }

    /** A PATCH: each field is null when the patch leaves it out; {@code clearDescription} sends description null. */
    public record ToolChange(String name, String description, boolean clearDescription, String version,
                             ObjectNode config) {

        public ObjectNode body() {
            ObjectNode body = Api.JSON.createObjectNode();
            if (name != null) {
                body.put("name", name);
            }
            if (clearDescription) {
                body.putNull("description");
            } else if (description != null) {
                body.put("description", description);
            }
            if (version != null) {
                body.put("version", version);
            }
            if (config != null) {
                body.set("config", config.deepCopy());
            }
            return body;
        }

        public boolean empty() {
            return name == null && description == null && !clearDescription && version == null && config == null;
        }
    }

    // ---- characters

    /** Any Unicode scalar value except NUL, weighted towards what people type but reaching every plane. */
    public static Gen<Integer> codePoints() {
        return frequency(Pair.of(8, range(0x20, 0x7E)),                // printable ASCII
                         Pair.of(3, range(0xA0, 0x2FFF)),              // Latin-1 .. scripts, symbols
                         Pair.of(2, range(0x3000, 0xD7FF)),            // CJK, Hangul
                         Pair.of(1, range(0xE000, 0xFFFD)),            // private use, compatibility, specials
                         Pair.of(2, range(0x1F300, 0x1FAFF)),          // emoji (4 bytes in UTF-8)
                         Pair.of(1, range(0x10000, 0x10FFFF)),         // any supplementary code point
                         Pair.of(1, range(0x01, 0x1F)));               // control characters
    }

    static Gen<String> text(Gen<Integer> codePoint, Gen<Integer> length) {
        return random -> {
            int size = length.generate(random);
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < size; i++) {
                int cp = codePoint.generate(random);
                if (cp >= 0xD800 && cp <= 0xDFFF) {
                    cp = 'x'; // surrogates are not characters; ranges above exclude them, this keeps it so
                }
                text.appendCodePoint(cp);
            }
            return text.toString();
        };
    }

    static Gen<String> textOf(String alphabet, Gen<Integer> length) {
        return text(range(0, alphabet.length() - 1).map(alphabet::charAt).map(c -> (int) c), length);
    }

    // ---- tool fields

    /** 1 to 255 code points, not blank; often short, sometimes exactly the maximum. */
    public static Gen<String> names() {
        Gen<Integer> length = frequency(Pair.of(6, range(1, 30)), Pair.of(2, range(1, 255)), Pair.of(1, constant(255)));
        // made non-blank by construction rather than filtered, so that no example is thrown away
        return text(codePoints(), length).map(name -> name.isBlank()
                ? "n" + name.substring(name.offsetByCodePoints(0, 1)) : name);
    }

    /** Stems of slugs: the whole alphabet (hyphens anywhere, digits only, empty), up to the 255 limit with suffix. */
    public static Gen<String> slugStems() {
        int longest = 255 - SLUG_SUFFIX_RESERVE;
        Gen<Integer> length = frequency(Pair.of(6, range(0, 20)), Pair.of(2, range(0, longest)),
                                        Pair.of(1, constant(longest)));
        return frequency(Pair.of(8, textOf("abcdefghijklmnopqrstuvwxyz0123456789-", length)),
                         Pair.of(1, textOf("0123456789", length)),
                         Pair.of(1, textOf("-", range(0, 5))));
    }

    public static Gen<String> versions() {
        Gen<Integer> part = frequency(Pair.of(6, range(0, 12)), Pair.of(2, range(0, 100_000)),
                                      Pair.of(1, range(0, Integer.MAX_VALUE)));
        Gen<String> plain = part.zip(part, part, (major, minor, patch) -> major + "." + minor + "." + patch);
        Gen<String> leadingZeros = part.zip(part, part, (major, minor, patch) -> "0" + major + ".00" + minor + "."
                + patch);
        return frequency(Pair.of(9, plain), Pair.of(1, leadingZeros));
    }

    /** Null, short text, or long text up to the 10,000 code point limit. */
    public static Gen<String> descriptions() {
        return frequency(Pair.of(2, constant((String) null)),
                         Pair.of(6, text(codePoints(), range(1, 200))),
                         Pair.of(1, text(codePoints(), range(1, 10_000))),
                         Pair.of(1, text(codePoints(), constant(10_000))));
    }

    // ---- configs

    static Gen<String> serverNames() {
        String first = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        Gen<String> head = textOf(first, constant(1));
        Gen<String> tail = textOf(first + "_.-", frequency(Pair.of(5, range(0, 12)), Pair.of(1, range(0, 63))));
        return head.zip(tail, String::concat);
    }

    /** Unicode text without NUL (and without CR/LF when {@code singleLine}), as the schema's patterns demand. */
    static Gen<String> schemaText(boolean singleLine, int minimum, int maximum) {
        return text(codePoints(), range(minimum, maximum))
                .map(s -> singleLine ? s.replace('\r', ' ').replace('\n', ' ') : s);
    }

    static Gen<ObjectNode> stdioServers() {
        Gen<String> envNames = textOf("ABCDEFGHIJKLMNOPQRSTUVWXYZ_", constant(1))
                .zip(textOf("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_", range(0, 20)),
                     String::concat);
        Gen<String> commands = frequency(Pair.of(3, pick(java.util.List.of("npx", "uvx", "node", "python3", "docker",
                                                                           "/usr/local/bin/mcp-server"))),
                                         Pair.of(2, schemaText(true, 1, 60)));
        return random -> {
            ObjectNode server = Api.JSON.createObjectNode();
            if (Generate.booleans().generate(random) && range(0, 3).generate(random) == 0) {
                server.put("type", "stdio");
            }
            server.put("command", commands.generate(random));
            int argCount = range(-1, 5).generate(random);
            if (argCount >= 0) {
                ArrayNode args = server.putArray("args");
                for (int i = 0; i < argCount; i++) {
                    args.add(schemaText(false, 0, 40).generate(random));
                }
            }
            int envCount = range(-1, 4).generate(random);
            if (envCount >= 0) {
                ObjectNode env = server.putObject("env");
                for (int i = 0; i < envCount; i++) {
                    env.put(envNames.generate(random), schemaText(false, 0, 40).generate(random));
                }
            }
            return server;
        };
    }

    static Gen<ObjectNode> remoteServers() {
        Gen<String> label = textOf("abcdefghijklmnopqrstuvwxyz0123456789", range(1, 12));
        Gen<String> pathSegment = textOf("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~",
                                         range(1, 10));
        Gen<String> headerNames = textOf("!#$%&'*+.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-",
                                         range(1, 20));
        return random -> {
            ObjectNode server = Api.JSON.createObjectNode();
            StringBuilder url = new StringBuilder(Generate.booleans().generate(random) ? "https://" : "http://");
            int labels = range(1, 4).generate(random);
            for (int i = 0; i < labels; i++) {
                url.append(i == 0 ? "" : ".").append(label.generate(random));
            }
            if (range(0, 2).generate(random) == 0) {
                url.append(':').append(range(1, 65535).generate(random));
            }
            int segments = range(0, 3).generate(random);
            for (int i = 0; i < segments; i++) {
                url.append('/').append(pathSegment.generate(random));
            }
            server.put("url", url.toString());
            int transport = range(0, 2).generate(random);
            if (transport > 0) {
                server.put("transport", transport == 1 ? "streamable-http" : "sse");
            }
            if (range(0, 3).generate(random) == 0) {
                server.put("type", pick(java.util.List.of("streamable-http", "sse", "http")).generate(random));
            }
            int headerCount = range(-1, 3).generate(random);
            if (headerCount >= 0) {
                ObjectNode headers = server.putObject("headers");
                for (int i = 0; i < headerCount; i++) {
                    headers.put(headerNames.generate(random), schemaText(true, 0, 40).generate(random));
                }
            }
            return server;
        };
    }

    /** A config of one to three servers, stdio or remote, sometimes declaring tools. */
    public static Gen<ObjectNode> configs() {
        Gen<ObjectNode> servers = stdioServers().mix(remoteServers());
        return random -> {
            ObjectNode config = Api.JSON.createObjectNode();
            ObjectNode mcpServers = config.putObject("mcpServers");
            int count = range(1, 3).generate(random);
            for (int i = 0; i < count; i++) {
                mcpServers.set(serverNames().generate(random), servers.generate(random));
            }
            if (range(0, 3).generate(random) == 0) {
                ArrayNode tools = config.putArray("tools");
                int toolCount = range(0, 2).generate(random);
                for (int i = 0; i < toolCount; i++) {
                    ObjectNode tool = tools.addObject();
                    tool.put("name", schemaText(false, 1, 30).generate(random));
                    if (Generate.booleans().generate(random)) {
                        tool.put("description", schemaText(false, 0, 60).generate(random));
                    }
                }
            }
            return config;
        };
    }

    public static Gen<NewTool> newTools() {
        return random -> new NewTool(names().generate(random), slugStems().generate(random),
                                     descriptions().generate(random), versions().generate(random),
                                     configs().generate(random));
    }

    /** A change of any non-empty subset of name, description (set or cleared), version and config. */
    public static Gen<ToolChange> toolChanges() {
        Gen<ToolChange> any = random -> {
            String name = Generate.booleans().generate(random) ? names().generate(random) : null;
            int descriptionChoice = range(0, 3).generate(random);
            String description = descriptionChoice == 1 ? text(codePoints(), range(1, 200)).generate(random) : null;
            boolean clear = descriptionChoice == 2;
            String version = Generate.booleans().generate(random) ? versions().generate(random) : null;
            ObjectNode config = Generate.booleans().generate(random) ? configs().generate(random) : null;
            if (name == null && descriptionChoice == 0 && version == null && config == null) {
                version = versions().generate(random); // never empty, by construction rather than by filtering
            }
            return new ToolChange(name, description, clear, version, config);
        };
        return any;
    }

    /** A change of the config alone. */
    public static Gen<ObjectNode> configChanges() {
        return configs();
    }
}
