package org.mcpplatform.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * The lines the application logs while a test runs, exactly as its console shows them: an appender on the root
 * logger that encodes with the encoder Spring Boot configured for the console (the platform's log format). Start it
 * once an application is running (its start configures logging), close it after the test.
 */
public final class LogCapture implements AutoCloseable {

    private final Queue<String> lines = new ConcurrentLinkedQueue<>();
    private final Logger root;
    private final Appender<ILoggingEvent> appender;

    private LogCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Encoder<ILoggingEvent> encoder = consoleEncoder(root);
        AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                String text = new String(encoder.encode(event), StandardCharsets.UTF_8);
                for (String line : text.split("\n")) {
                    lines.add(line);
                }
            }
        };
        capture.setContext(context);
        capture.setName("test-capture-" + System.identityHashCode(this));
        capture.start();
        appender = capture;
        root.addAppender(appender);
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    private static Encoder<ILoggingEvent> consoleEncoder(Logger root) {
        Appender<ILoggingEvent> console = root.getAppender("CONSOLE");
        if (console instanceof OutputStreamAppender<ILoggingEvent> stream && stream.getEncoder() != null) {
            return stream.getEncoder();
        }
        throw new IllegalStateException("no console appender configured by Spring Boot: start the application first");
    }

    /** Forgets what was captured so far. */
    public void clear() {
        lines.clear();
    }

    public List<String> lines() {
        return new ArrayList<>(lines);
    }

    /** The lines containing {@code marker}, as written (line break excluded). */
    public List<String> containing(String marker) {
        return lines().stream().filter(line -> line.contains(marker)).toList();
    }

    /**
     * The lines containing {@code marker} that match {@code which}, waiting up to {@code timeout} for at least one:
     * the access log line is written after the response has gone out.
     */
    public List<JsonNode> await(String marker, Predicate<JsonNode> which, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<JsonNode> found = containing(marker).stream().map(LogCapture::parse).filter(which).toList();
            if (!found.isEmpty() || System.nanoTime() - deadline > 0) {
                return found;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return found;
            }
        }
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }

    /** A line as the JSON object it must be; fails if it is not exactly one object. */
    public static JsonNode parse(String line) {
        try {
            JsonNode json = Api.JSON.reader()
                                    .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                                    .readTree(line);
            if (json == null || !json.isObject()) {
                throw new AssertionError("not a JSON object: " + line);
            }
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("not one JSON object: " + line, e);
        }
    }

    public static Predicate<JsonNode> logger(Class<?> type) {
        return line -> type.getName().equals(line.path("logger_name").asText());
    }

    public static Predicate<JsonNode> requestId(String id) {
        return line -> id.equals(line.path("request_id").asText());
    }
}
