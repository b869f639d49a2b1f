package org.mcpplatform.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What GET /metrics answered, in the Prometheus text format, read into samples. */
final class Scrape {

    private static final Pattern SAMPLE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final Set<String> families = new TreeSet<>();

    private Scrape(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                families.add(line.split(" ")[2]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                Matcher sample = SAMPLE.matcher(line);
                if (!sample.matches()) {
                    throw new IllegalArgumentException("not a sample line: " + line);
                }
                Map<String, String> labels = new LinkedHashMap<>();
                if (sample.group(2) != null) {
                    Matcher label = LABEL.matcher(sample.group(2));
                    while (label.find()) {
                        labels.put(label.group(1), label.group(2));
                    }
                }
                samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
            }
        }
    }

    static Scrape of(String text) {
        return new Scrape(text);
    }

    List<Sample> all() {
        return samples;
    }

    /** The metric families (# TYPE lines) and every sample name (families' _bucket, _count, _sum included). */
    Set<String> names() {
        Set<String> names = new TreeSet<>(families);
        samples.forEach(sample -> names.add(sample.name()));
        return names;
    }

    /** The samples of that name whose labels include the given label-value pairs. */
    List<Sample> samples(String name, String... labelValues) {
        return samples.stream()
                      .filter(sample -> sample.name().equals(name))
                      .filter(sample -> {
                          for (int i = 0; i < labelValues.length; i += 2) {
                              if (!labelValues[i + 1].equals(sample.labels().get(labelValues[i]))) {
                                  return false;
                              }
                          }
                          return true;
                      })
                      .toList();
    }

    /** The value of the one sample that matches; fails when none or several match. */
    double value(String name, String... labelValues) {
        List<Sample> matching = samples(name, labelValues);
        if (matching.size() != 1) {
            throw new AssertionError(matching.size() + " samples of " + name + " " + List.of(labelValues)
                                             + " instead of one: " + matching);
        }
        return matching.get(0).value();
    }

    /** Like {@link #value}, but 0 when no sample matches (a counter nothing has incremented yet). */
    double valueOrZero(String name, String... labelValues) {
        return samples(name, labelValues).isEmpty() ? 0 : value(name, labelValues);
    }
}
