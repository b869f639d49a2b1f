package org.mcpplatform.configuration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.util.unit.DataSize;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a valid value of a setting looks like, in words, from its type and its constraints: the second half of every
 * message about a wrong setting. A constraint with a message of its own ({@code @Pattern(message = "a Redis URL such
 * as ...")}) speaks for itself.
 */
final class Expectations {

    private Expectations() {
    }

    static String describe(AnnotatedType type, Annotation[] declared, String example) {
        Map<Class<? extends Annotation>, Annotation> constraints = new LinkedHashMap<>();
        Arrays.stream(declared).forEach(a -> constraints.put(a.annotationType(), a));
        Arrays.stream(type.getAnnotations()).forEach(a -> constraints.putIfAbsent(a.annotationType(), a));
        Class<?> raw = rawClass(type.getType());
        if (Collection.class.isAssignableFrom(raw)) {
            String elements = type instanceof AnnotatedParameterizedType parameterized
                    ? elements(parameterized.getAnnotatedActualTypeArguments()[0]) : "values";
            return "a comma-separated list of " + elements + " (empty for none)";
        }
        return single(raw, constraints, example);
    }

    /** For a key no settings record declares (one of Spring's own), from what its binding knows. */
    static String describe(Class<?> raw, Annotation[] annotations) {
        if (Collection.class.isAssignableFrom(raw)) {
            return "a comma-separated list of values";
        }
        Map<Class<? extends Annotation>, Annotation> constraints = new LinkedHashMap<>();
        Arrays.stream(annotations).forEach(a -> constraints.put(a.annotationType(), a));
        return single(raw, constraints, null);
    }

    private static String elements(AnnotatedType element) {
        Pattern pattern = element.getAnnotation(Pattern.class);
        return pattern != null && ownMessage(pattern.message()) ? pattern.message() : "texts";
    }

    private static String single(Class<?> raw, Map<Class<? extends Annotation>, Annotation> constraints,
                                 String example) {
        String suchAs = example == null ? "" : ", such as " + example;
        if (raw == Duration.class) {
            return "a duration" + durationRange(constraints) + (example == null ? ", such as 30s" : suchAs)
                    + " (units ms, s, m, h, d)";
        }
        if (raw == DataSize.class) {
            DataSizeMin min = (DataSizeMin) constraints.get(DataSizeMin.class);
            return "a size" + (min == null ? "" : " of at least " + format(DataSize.ofBytes(min.bytes())))
                    + (example == null ? ", such as 1MB" : suchAs) + " (units B, KB, MB, GB)";
        }
        if (raw == int.class || raw == long.class || raw == Integer.class || raw == Long.class) {
            return "a whole number" + numberRange(constraints) + suchAs;
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return "true or false";
        }
        if (raw.isEnum()) {
            return "one of " + Arrays.stream(raw.getEnumConstants())
                                     .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT)
                                                                          .replace('_', '-'))
                                     .collect(Collectors.joining(", "));
        }
        if (raw == Path.class) {
            return "a file system path" + suchAs;
        }
        if (constraints.get(Pattern.class) instanceof Pattern pattern && ownMessage(pattern.message())) {
            return pattern.message();
        }
        if (constraints.get(Size.class) instanceof Size size) {
            return "a text of " + size.min() + " to " + size.max() + " characters";
        }
        if (constraints.containsKey(NotBlank.class)) {
            return "a text that is not empty" + suchAs;
        }
        return "a text" + suchAs;
    }

    private static String durationRange(Map<Class<? extends Annotation>, Annotation> constraints) {
        DurationMin min = (DurationMin) constraints.get(DurationMin.class);
        DurationMax max = (DurationMax) constraints.get(DurationMax.class);
        if (min != null && max != null) {
            return " from " + format(min) + " to " + format(max);
        }
        if (min != null) {
            return (min.inclusive() ? " of at least " : " of more than ") + format(min);
        }
        if (max != null) {
            return (max.inclusive() ? " of at most " : " of less than ") + format(max);
        }
        return "";
    }

    private static String numberRange(Map<Class<? extends Annotation>, Annotation> constraints) {
        Min min = (Min) constraints.get(Min.class);
        Max max = (Max) constraints.get(Max.class);
        if (min != null && max != null) {
            return " from " + min.value() + " to " + max.value();
        }
        if (min != null) {
            return " of at least " + min.value();
        }
        if (max != null) {
            return " of at most " + max.value();
        }
        return "";
    }

    static Duration duration(DurationMin min) {
        return Duration.ofDays(min.days()).plusHours(min.hours()).plusMinutes(min.minutes())
                       .plusSeconds(min.seconds()).plusMillis(min.millis()).plusNanos(min.nanos());
    }

    static Duration duration(DurationMax max) {
        return Duration.ofDays(max.days()).plusHours(max.hours()).plusMinutes(max.minutes())
                       .plusSeconds(max.seconds()).plusMillis(max.millis()).plusNanos(max.nanos());
    }

    private static String format(DurationMin min) {
        return format(duration(min));
    }

    private static String format(DurationMax max) {
        return format(duration(max));
    }

    /** In the largest unit that states it exactly, as the settings are written: 100ms, 30s, 15m, 7d. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        if (millis % 86_400_000 == 0) {
            return millis / 86_400_000 + "d";
        }
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    /** In the largest unit that states it exactly: 512B, 64KB, 1MB. */
    static String format(DataSize size) {
        long bytes = size.toBytes();
        for (String unit : new String[]{"GB", "MB", "KB"}) {
            long factor = DataSize.parse("1" + unit).toBytes();
            if (bytes != 0 && bytes % factor == 0) {
                return bytes / factor + unit;
            }
        }
        return bytes + "B";
    }

    private static boolean ownMessage(String message) {
        return !message.startsWith("{");
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType parameterized) {
            return (Class<?>) parameterized.getRawType();
        }
        return Object.class;
    }
}
