package org.mcpplatform.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.slf4j.event.KeyValuePair;
import org.springframework.boot.logging.structured.StructuredLogFormatter;
import org.springframework.core.env.Environment;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The platform's log line, as one JSON object per line ({@code MCP_LOG_FORMAT=json}, the default) or as one line of
 * text for reading in a terminal ({@code text}). Both go through {@link Redactor}: every string of the line (message,
 * MDC values such as request_id and user_id, key-value pairs, exception messages) is redacted and has its control
 * characters neutralised here, so no logging call can leak a credential or forge a line.
 *
 * <p>Spring Boot's structured logging instantiates it ({@code logging.structured.format.console} names this class),
 * which is also why text mode lives here: Spring Boot's own text pattern would bypass the redaction.
 */
public class PlatformLogFormat implements StructuredLogFormatter<ILoggingEvent> {

    public static final String FORMAT_PROPERTY = "mcp.log.format";
    private static final JsonFactory JSON = new JsonFactory();
    private static final Set<String> OWN_FIELDS = Set.of("@timestamp", "level", "logger_name", "thread_name",
                                                         "message");

    private final boolean json;

    public PlatformLogFormat(Environment environment) {
        // Any other value than text logs JSON: the log has to work to report the wrong value, which the settings
        // check (LogProperties) does right after, stopping the start with a message naming MCP_LOG_FORMAT.
        String format = environment.getProperty(FORMAT_PROPERTY, "json").strip().toLowerCase(Locale.ROOT);
        this.json = !format.equals("text");
    }

    @Override
    public String format(ILoggingEvent event) {
        return json ? json(event) : text(event);
    }

    private String json(ILoggingEvent event) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator line = JSON.createGenerator(out)) {
            line.writeStartObject();
            line.writeStringField("@timestamp", DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(
                    event.getTimeStamp())));
            line.writeStringField("level", event.getLevel().toString());
            line.writeStringField("logger_name", event.getLoggerName());
            line.writeStringField("thread_name", clean(event.getThreadName()));
            line.writeStringField("message", clean(event.getFormattedMessage()));
            for (Map.Entry<String, Object> pair : context(event).entrySet()) {
                line.writeFieldName(clean(pair.getKey()));
                writeValue(line, pair.getValue(), 0);
            }
            IThrowableProxy error = event.getThrowableProxy();
            if (error != null) {
                line.writeObjectFieldStart("error");
                line.writeStringField("type", error.getClassName());
                line.writeStringField("message", clean(error.getMessage()));
                line.writeStringField("stack_trace", stackTrace(error, true));
                line.writeEndObject();
            }
            line.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append('\n').toString();
    }

    private String text(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(160)
                .append(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(event.getTimeStamp())))
                .append(' ').append(String.format("%-5s", event.getLevel()))
                .append(" [").append(Redactor.clean(event.getThreadName(), false)).append("] ")
                .append(event.getLoggerName()).append(" : ")
                .append(Redactor.clean(event.getFormattedMessage(), false));
        context(event).forEach((key, value) -> line.append(' ').append(Redactor.clean(key, false)).append('=')
                                                    .append(Redactor.clean(String.valueOf(value), false)));
        if (event.getThrowableProxy() != null) {
            line.append('\n').append(stackTrace(event.getThrowableProxy(), false));
        }
        return line.append('\n').toString();
    }

    /**
     * MDC first, then the event's key-value pairs: a pair given at the call overrides the MDC value. Names of the
     * line's own fields are left out, so that no line has a member twice.
     */
    private static Map<String, Object> context(ILoggingEvent event) {
        Map<String, Object> context = new LinkedHashMap<>(event.getMDCPropertyMap());
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                context.put(pair.key, pair.value);
            }
        }
        context.keySet().removeAll(OWN_FIELDS);
        if (event.getThrowableProxy() != null) {
            context.remove("error");
        }
        return context;
    }

    private static void writeValue(JsonGenerator line, Object value, int depth) throws IOException {
        if (value == null) {
            line.writeNull();
        } else if (value instanceof Boolean flag) {
            line.writeBoolean(flag);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger || value instanceof BigDecimal
                || (value instanceof Double || value instanceof Float) && Double.isFinite(((Number) value).doubleValue())) {
            line.writeNumber(value.toString());
        } else if (value instanceof Collection<?> values && depth < 3) {
            line.writeStartArray();
            for (Object element : values) {
                writeValue(line, element, depth + 1);
            }
            line.writeEndArray();
        } else if (value instanceof Map<?, ?> map && depth < 3) {
            line.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                line.writeFieldName(clean(String.valueOf(entry.getKey())));
                writeValue(line, entry.getValue(), depth + 1);
            }
            line.writeEndObject();
        } else {
            line.writeString(clean(value.toString()));
        }
    }

    /** In JSON the encoder escapes line breaks, so they may stay (stack traces, multi-line SQL). */
    private static String clean(String text) {
        return Redactor.clean(text, true);
    }

    /**
     * The stack trace, rendered here rather than by Logback so that the messages in it are cleaned like any other
     * text; in text mode each exception message stays on its own line.
     */
    private static String stackTrace(IThrowableProxy error, boolean json) {
        StringBuilder out = new StringBuilder(2048);
        appendThrowable(out, error, "", "", json);
        return out.toString();
    }

    private static void appendThrowable(StringBuilder out, IThrowableProxy error, String caption, String indent,
                                        boolean json) {
        out.append(indent).append(caption).append(error.getClassName());
        if (error.getMessage() != null) {
            out.append(": ").append(Redactor.clean(error.getMessage(), json));
        }
        if (error.isCyclic()) {
            out.append(" [circular reference]");
            return;
        }
        StackTraceElementProxy[] frames = error.getStackTraceElementProxyArray();
        int shown = frames.length - error.getCommonFrames();
        for (int i = 0; i < shown; i++) {
            out.append('\n').append(indent).append("\tat ").append(frames[i].getStackTraceElement());
        }
        if (error.getCommonFrames() > 0) {
            out.append('\n').append(indent).append("\t... ").append(error.getCommonFrames())
               .append(" common frames omitted");
        }
        if (error.getSuppressed() != null) {
            for (IThrowableProxy suppressed : error.getSuppressed()) {
                out.append('\n');
                appendThrowable(out, suppressed, "Suppressed: ", indent + "\t", json);
            }
        }
        if (error.getCause() != null) {
            out.append('\n');
            appendThrowable(out, error.getCause(), "Caused by: ", indent, json);
        }
    }
}
