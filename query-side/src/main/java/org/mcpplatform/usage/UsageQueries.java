package org.mcpplatform.usage;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Usage statistics of a tool from mcp_usage_stats. Buckets start at whole minutes or hours (UTC); the first is the
 * one holding {@code from}. Percentiles are computed here from the response times of the range, exactly (nearest
 * rank), because MariaDB and H2 share no percentile function; {@link StatsBucket#maxRange()} bounds the work.
 */
public class UsageQueries {

    private final JdbcTemplate jdbc;

    public UsageQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Callers validate the range: {@code from < to} and at most {@code bucket.maxRange()} apart. */
    public UsageStats stats(String toolId, Instant from, Instant to, StatsBucket bucket) {
        if (!from.isBefore(to) || java.time.Duration.between(from, to).compareTo(bucket.maxRange()) > 0) {
            throw new IllegalArgumentException("from must be before to, at most " + bucket.maxRange() + " apart");
        }
        Instant first = from.truncatedTo(bucket.unit());
        long width = bucket.width().toNanos() / 1000; // microseconds
        int count = (int) ((micros(to) - micros(first) + width - 1) / width);
        Collector[] buckets = new Collector[count];
        jdbc.query("SELECT created_at, status, response_time_us FROM mcp_usage_stats "
                           + "WHERE tool_id = ? AND created_at >= ? AND created_at < ?",
                   rs -> {
                       Instant at = rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC);
                       int index = (int) ((micros(at) - micros(first)) / width);
                       if (index < 0 || index >= count) {
                           return;
                       }
                       Collector collector = buckets[index];
                       if (collector == null) {
                           collector = buckets[index] = new Collector();
                       }
                       collector.add(!"ok".equals(rs.getString(2)), rs.getLong(3));
                   },
                   toolId, utc(from), utc(to));
        List<UsageBucket> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Instant start = first.plus(bucket.width().multipliedBy(i));
            result.add(buckets[i] == null ? new UsageBucket(start, 0, 0, null, null, null) : buckets[i].bucket(start));
        }
        return new UsageStats(toolId, bucket, from, to, result);
    }

    private static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** The rows of one bucket. */
    private static final class Collector {

        private long[] times = new long[16];
        private int count;
        private long errors;

        void add(boolean error, long micros) {
            if (count == times.length) {
                times = Arrays.copyOf(times, count * 2);
            }
            times[count++] = micros;
            if (error) {
                errors++;
            }
        }

        UsageBucket bucket(Instant start) {
            long[] sorted = Arrays.copyOf(times, count);
            Arrays.sort(sorted);
            return new UsageBucket(start, count, errors, percentile(sorted, 50), percentile(sorted, 95),
                                   percentile(sorted, 99));
        }

        /** Nearest rank: the smallest value with at least p% of the values at or below it; milliseconds. */
        private static Double percentile(long[] sorted, int p) {
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, rank - 1)] / 1000.0;
        }
    }
}
