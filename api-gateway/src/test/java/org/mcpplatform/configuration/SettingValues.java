package org.mcpplatform.configuration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.quicktheories.core.Gen;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.util.unit.DataSize;

import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

import static org.mcpplatform.support.SecretGenerators.strings;
import static org.quicktheories.generators.Generate.longRange;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * Values of settings for the configuration properties: valid ones from each setting's type and constraints (a
 * pattern gets examples listed here), invalid ones likewise, the value a text should bind to worked out without
 * Spring, and the value a bound record holds.
 */
final class SettingValues {

    /** Valid examples of the settings a pattern constrains; for a list, valid elements. */
    static final Map<String, List<String>> PATTERN_EXAMPLES = Map.ofEntries(Map.entry(
            "mcp.event-store.mongodb-uri", List.of("", "mongodb://mongo:27017/?replicaSet=rs0",
                                                   "mongodb+srv://cluster0.example.net/events",
                                                   "mongodb://user:secret@h1:27017,h2:27017/db?w=majority")),
            Map.entry("mcp.event-store.database", List.of("mcp_platform", "events-2", "x")),
            Map.entry("mcp.deployments.allowed-commands", List.of("node", "python3", "uvx", "my-server", "a.b_c+d")),
            Map.entry("mcp.read-model.url", List.of("jdbc:mysql://mysql:3306/mcp_platform",
                                                    "jdbc:mariadb://127.0.0.1:3306/mcp?useSSL=false",
                                                    "jdbc:h2:mem:readmodel")),
            Map.entry("mcp.cache.redis-url", List.of("", "redis://redis:6379/0",
                                                     "rediss://user:secret@cache.example:6380/2")),
            Map.entry("mcp.deployments.allowed-outbound", List.of("10.0.0.0/8", "127.0.0.1", "::1/128", "fd00::/8",
                                                                  "internal.example", "intranet")),
            Map.entry("mcp.cors.allowed-origins", List.of("https://app.example.com", "http://localhost:5173",
                                                          "https://[::1]:8443")),
            Map.entry("mcp.gateway.base-url", List.of("", "https://mcp.example.com",
                                                      "http://localhost:8080/platform")),
            Map.entry("mcp.gateway.authorization-servers", List.of("https://auth.example.com",
                                                                   "http://127.0.0.1:9000/realms/mcp")),
            Map.entry("mcp.live.rabbitmq-url", List.of("", "amqp://guest:guest@127.0.0.1:5672",
                                                       "amqps://mcp:secret@rabbitmq.example:5671/platform")));

    /** Texts that no pattern of a setting accepts (checked against the pattern before use). */
    private static final List<String> NOT_MATCHING = List.of("not valid!", "ftp://files.example.com/x", "with space",
                                                             "http://", "/usr/bin/node", "jdbc:postgresql://db/x",
                                                             "mongo://x", "redis:/x", "a\"b");
    /** Free text; no colon, which Spring would take for a URL scheme in a path. */
    private static final String TEXT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/@";
    private static final Duration NO_MAX = Duration.ofDays(30);
    private static final long UNBOUNDED = 1_000_000;
    private static final Map<String, Long> SIZE_UNITS = Map.of("B", 1L, "KB", 1024L, "MB", 1024L * 1024,
                                                               "GB", 1024L * 1024 * 1024);
    private static final java.util.regex.Pattern SIZE = java.util.regex.Pattern.compile("(\\d+)(B|KB|MB|GB)");
    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)?");

    private SettingValues() {
    }

    // ---- valid values ----

    /** Texts that bind to a valid value of the setting. */
    static Gen<String> valid(Setting setting) {
        Class<?> type = setting.field().getType();
        if (Collection.class.isAssignableFrom(type)) {
            List<String> elements = PATTERN_EXAMPLES.get(setting.property());
            Gen<String> element = elements != null ? pick(elements) : strings("abcdefghij0123456789", 1, 10);
            return lists().of(element).ofSizeBetween(0, 3).zip(pick(List.of(",", ", ")), (list, separator) -> String.join(separator, list));
        }
        if (setting.field().isAnnotationPresent(Pattern.class)) {
            List<String> examples = PATTERN_EXAMPLES.get(setting.property());
            if (examples == null) {
                throw new AssertionError(setting.property() + " has a pattern: list valid examples in "
                                                 + "SettingValues.PATTERN_EXAMPLES");
            }
            return pick(examples);
        }
        if (type == Duration.class) {
            return durations(minimum(setting), maximum(setting));
        }
        if (type == DataSize.class) {
            long min = setting.field().isAnnotationPresent(DataSizeMin.class)
                    ? setting.field().getAnnotation(DataSizeMin.class).bytes() : 0;
            return pick(List.of("B", "KB", "MB")).flatMap(unit -> longRange(ceil(min, SIZE_UNITS.get(unit)), 4096)
                    .map(n -> n + unit));
        }
        if (type == int.class || type == long.class) {
            long min = setting.field().isAnnotationPresent(Min.class) ? setting.field().getAnnotation(Min.class).value()
                    : 0;
            long max = setting.field().isAnnotationPresent(Max.class) ? setting.field().getAnnotation(Max.class).value()
                    : min + UNBOUNDED;
            return longRange(min, max).map(n -> Long.toString(n));
        }
        if (type == boolean.class) {
            return pick(List.of("true", "false", "TRUE", "False"));
        }
        if (type.isEnum()) {
            return pick(Arrays.stream(type.getEnumConstants())
                              .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-')).toList());
        }
        if (setting.field().isAnnotationPresent(Size.class)) {
            Size size = setting.field().getAnnotation(Size.class);
            return strings(TEXT, size.min(), Math.min(size.max(), 40));
        }
        // free text (paths too): no leading or trailing blank, no placeholder syntax, no comma
        return strings(TEXT, 1, 20);
    }

    /** A duration in a unit that states it exactly, between the bounds. */
    private static Gen<String> durations(Duration min, Duration max) {
        List<Map.Entry<String, Long>> units = List.of(Map.entry("ms", 1L), Map.entry("s", 1000L),
                                                      Map.entry("m", 60_000L), Map.entry("h", 3_600_000L),
                                                      Map.entry("d", 86_400_000L));
        List<Map.Entry<String, Long>> fitting = units.stream()
                .filter(u -> ceil(min.toMillis(), u.getValue()) <= max.toMillis() / u.getValue()).toList();
        return pick(fitting).flatMap(unit -> longRange(ceil(min.toMillis(), unit.getValue()),
                                                       max.toMillis() / unit.getValue())
                .map(n -> n + unit.getKey()));
    }

    private static long ceil(long value, long unit) {
        return (value + unit - 1) / unit;
    }

    // ---- invalid values ----

    /** Texts the setting refuses: not of its type, out of its range, not of its shape, empty where required. */
    static Optional<Gen<String>> invalid(Setting setting) {
        Class<?> type = setting.field().getType();
        List<String> invalid = new ArrayList<>();
        if (Collection.class.isAssignableFrom(type)) {
            AnnotatedParameterizedType list = (AnnotatedParameterizedType) setting.field().getAnnotatedType();
            Pattern pattern = list.getAnnotatedActualTypeArguments()[0].getAnnotation(Pattern.class);
            if (pattern != null) {
                String valid = PATTERN_EXAMPLES.get(setting.property()).get(0);
                notMatching(pattern).forEach(bad -> {
                    invalid.add(bad);
                    invalid.add(valid + "," + bad);
                });
            }
        } else if (setting.field().isAnnotationPresent(Pattern.class)) {
            invalid.addAll(notMatching(setting.field().getAnnotation(Pattern.class)));
        } else if (type == Duration.class) {
            invalid.addAll(List.of("", "soon", "1.5s", "10 minutes", "5 parsecs", "PT"));
            Duration min = minimum(setting);
            invalid.add(min.isZero() ? "-1s" : (min.toMillis() - 1) + "ms");
            if (setting.field().isAnnotationPresent(DurationMax.class)) {
                invalid.add((maximum(setting).toMillis() + 1) + "ms");
            }
        } else if (type == DataSize.class) {
            invalid.addAll(List.of("", "big", "1.5MB", "-1KB", "5XB", "MB"));
            if (setting.field().isAnnotationPresent(DataSizeMin.class)) {
                invalid.add((setting.field().getAnnotation(DataSizeMin.class).bytes() - 1) + "B");
            }
        } else if (type == int.class || type == long.class) {
            invalid.addAll(List.of("", "twelve", "1.5", "1e3", "99999999999999999999"));
            if (setting.field().isAnnotationPresent(Min.class)) {
                invalid.add(String.valueOf(setting.field().getAnnotation(Min.class).value() - 1));
            }
            if (setting.field().isAnnotationPresent(Max.class)) {
                invalid.add(String.valueOf(setting.field().getAnnotation(Max.class).value() + 1));
            }
        } else if (type == boolean.class) {
            invalid.addAll(List.of("", "maybe", "2", "truthy"));
        } else if (type.isEnum()) {
            invalid.addAll(List.of("", "nonsense", "xml"));
        } else if (type == Path.class) {
            invalid.add("");
        } else if (setting.field().isAnnotationPresent(Size.class)) {
            Size size = setting.field().getAnnotation(Size.class);
            invalid.add("x".repeat(size.min() - 1));
            invalid.add("y".repeat(size.max() + 1));
        } else if (setting.field().isAnnotationPresent(NotBlank.class)) {
            invalid.addAll(List.of("", "   "));
        }
        return invalid.isEmpty() ? Optional.empty() : Optional.of(pick(invalid));
    }

    private static List<String> notMatching(Pattern pattern) {
        return NOT_MATCHING.stream().filter(text -> !text.matches(pattern.regexp())).toList();
    }

    // ---- what a text binds to ----

    /** The value a record holds for the text, worked out without Spring's conversion. */
    static Object expected(Setting setting, String text) {
        Class<?> type = setting.field().getType();
        if (Collection.class.isAssignableFrom(type)) {
            List<String> elements = Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                                          .toList();
            return Set.class.isAssignableFrom(type) ? new LinkedHashSet<>(elements) : elements;
        }
        if (type == Duration.class) {
            Matcher duration = DURATION.matcher(text);
            if (!duration.matches()) {
                throw new AssertionError("not a duration this test writes: " + text);
            }
            long n = Long.parseLong(duration.group(1));
            return switch (Objects.requireNonNullElse(duration.group(2), "ms")) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        if (type == DataSize.class) {
            Matcher size = SIZE.matcher(text);
            if (!size.matches()) {
                throw new AssertionError("not a size this test writes: " + text);
            }
            return DataSize.ofBytes(Long.parseLong(size.group(1)) * SIZE_UNITS.get(size.group(2)));
        }
        if (type == int.class || type == long.class) {
            return Long.parseLong(text);
        }
        if (type == boolean.class) {
            return Boolean.parseBoolean(text);
        }
        if (type.isEnum()) {
            return Arrays.stream(type.getEnumConstants())
                         .filter(c -> ((Enum<?>) c).name().equalsIgnoreCase(text.replace('-', '_')))
                         .findFirst().orElseThrow();
        }
        if (type == Path.class) {
            return Path.of(text).normalize();
        }
        return text;
    }

    /** What a bound record holds, in the form {@link #expected} gives: numbers as long, no text as "". */
    static Object read(List<Record> modules, Setting setting) {
        String[] path = setting.property().substring(Settings.PREFIX.length() + 1).split("\\.");
        for (Record module : modules) {
            Optional<Object> value = read(module, path, 0);
            if (value.isPresent()) {
                Object found = value.get();
                if (found instanceof Integer number) {
                    return number.longValue();
                }
                if (found instanceof Set<?> set) {
                    return new LinkedHashSet<>(set);
                }
                if (found instanceof Path directory) {
                    return directory.normalize();
                }
                return found;
            }
        }
        throw new AssertionError("no module holds " + setting.property());
    }

    private static Optional<Object> read(Object record, String[] path, int at) {
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            if (DataObjectPropertyName.toDashedForm(component.getName()).equals(path[at])) {
                Object value;
                try {
                    value = component.getAccessor().invoke(record);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException(e);
                }
                if (at == path.length - 1) {
                    return Optional.of(value == null ? "" : value);
                }
                return value == null ? Optional.empty() : read(value, path, at + 1);
            }
        }
        return Optional.empty();
    }

    private static Duration minimum(Setting setting) {
        DurationMin min = setting.field().getAnnotation(DurationMin.class);
        return min == null ? Duration.ZERO : Expectations.duration(min);
    }

    private static Duration maximum(Setting setting) {
        DurationMax max = setting.field().getAnnotation(DurationMax.class);
        return max == null ? NO_MAX : Expectations.duration(max);
    }
}
