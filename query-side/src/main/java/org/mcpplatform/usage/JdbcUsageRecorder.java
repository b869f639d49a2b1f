package org.mcpplatform.usage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes usage records to mcp_usage_stats off the request path. {@link #record} only offers the record to a bounded
 * queue and never blocks: when the database falls behind, records are dropped and counted instead of holding up MCP
 * requests. One background thread writes them with batch inserts, a batch as soon as it holds
 * {@code batchSize} records or its oldest record has waited {@code flushInterval}. On shutdown the thread writes
 * what is queued before the database goes.
 */
public class JdbcUsageRecorder implements UsageRecorder, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(JdbcUsageRecorder.class);
    private static final String INSERT = "INSERT INTO mcp_usage_stats (tool_id, deployment_id, method, tool_name, "
            + "status, http_status, response_time_us, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    // the column widths of V6: a client chooses its JSON-RPC method and tool names, so they are cut to fit
    private static final int METHOD_CHARS = 128;
    private static final int TOOL_NAME_CHARS = 255;
    private static final int STATUS_CHARS = 16;
    private static final int USER_CHARS = 64;

    private final JdbcTemplate jdbc;
    private final BlockingQueue<UsageRecord> queue;
    private final int batchSize;
    private final long flushNanos;
    private final Counter dropped;
    private final Counter failed;
    private final Counter written;
    private final Thread writer;
    private volatile boolean running = true;

    public JdbcUsageRecorder(JdbcTemplate jdbc, UsageProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
        this.batchSize = properties.batchSize();
        this.flushNanos = properties.flushInterval().toNanos();
        this.dropped = Counter.builder("mcp_usage_records_dropped_total")
                              .description("Usage records dropped because the write queue was full")
                              .register(meters);
        this.failed = Counter.builder("mcp_usage_records_failed_total")
                             .description("Usage records lost because their batch could not be written")
                             .register(meters);
        this.written = Counter.builder("mcp_usage_records_written_total")
                              .description("Usage records written to mcp_usage_stats")
                              .register(meters);
        Gauge.builder("mcp_usage_records_queued", queue, BlockingQueue::size)
             .description("Usage records waiting to be written")
             .register(meters);
        this.writer = new Thread(this::writeLoop, "usage-recorder");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    @Override
    public void record(UsageRecord record) {
        if (record == null || record.toolId() == null) {
            return; // nothing to attribute it to; the column is NOT NULL
        }
        if (record.at() == null) {
            record = new UsageRecord(record.toolId(), record.deploymentId(), record.method(), record.toolName(),
                                     record.status(), record.httpStatus(), record.responseTimeMicros(),
                                     record.userId(), java.time.Instant.now());
        }
        if (!running || !queue.offer(record)) {
            dropped.increment();
        }
    }

    /** Records dropped since start because the queue was full (or the recorder stopped). */
    public long droppedCount() {
        return (long) dropped.count();
    }

    private void writeLoop() {
        List<UsageRecord> batch = new ArrayList<>(batchSize);
        while (running || !queue.isEmpty()) {
            try {
                UsageRecord first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + flushNanos;
                while (batch.size() < batchSize) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    queue.drainTo(batch, batchSize - batch.size());
                    if (batch.size() >= batchSize) {
                        break;
                    }
                    UsageRecord next = queue.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)),
                                                  TimeUnit.NANOSECONDS);
                    if (next != null) {
                        batch.add(next);
                    } else if (!running) {
                        break;
                    }
                }
                write(batch);
            } catch (InterruptedException e) {
                // shutting down: the loop condition drains the rest
                running = false;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<UsageRecord> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            jdbc.batchUpdate(INSERT, batch, batch.size(), (statement, record) -> {
                statement.setString(1, record.toolId());
                statement.setString(2, record.deploymentId());
                statement.setString(3, clip(record.method() == null ? "" : record.method(), METHOD_CHARS));
                statement.setString(4, clip(record.toolName(), TOOL_NAME_CHARS));
                statement.setString(5, clip(record.status() == null ? "" : record.status(), STATUS_CHARS));
                statement.setInt(6, record.httpStatus());
                statement.setLong(7, Math.max(0, record.responseTimeMicros()));
                statement.setString(8, clip(record.userId(), USER_CHARS));
                statement.setObject(9, LocalDateTime.ofInstant(record.at(), ZoneOffset.UTC));
            });
            written.increment(batch.size());
        } catch (RuntimeException e) {
            // telemetry: a batch the database refuses is lost, not retried forever ahead of newer records
            failed.increment(batch.size());
            log.warn("Could not write {} usage records: {}", batch.size(), e.getMessage());
        }
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    /** Writes what is queued, then stops; called before the data source closes. */
    @Override
    public void destroy() throws InterruptedException {
        running = false;
        writer.join(Duration.ofSeconds(10).toMillis());
        if (writer.isAlive()) {
            log.warn("The usage recorder did not finish writing within 10 s; {} records are lost", queue.size());
            writer.interrupt();
        }
    }
}
