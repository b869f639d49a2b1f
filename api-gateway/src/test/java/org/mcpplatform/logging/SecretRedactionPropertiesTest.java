package org.mcpplatform.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.LogCapture;
import org.mcpplatform.support.PlatformTest;
import org.mcpplatform.support.Secrets;
import org.quicktheories.core.Gen;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mock.env.MockEnvironment;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.support.SecretGenerators.BASE64URL;
import static org.mcpplatform.support.SecretGenerators.PRINTABLE;
import static org.mcpplatform.support.SecretGenerators.TOKEN;
import static org.mcpplatform.support.SecretGenerators.apiKeys;
import static org.mcpplatform.support.SecretGenerators.jwts;
import static org.mcpplatform.support.SecretGenerators.passwords;
import static org.mcpplatform.support.SecretGenerators.refreshTokens;
import static org.mcpplatform.support.SecretGenerators.strings;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.oneOf;
import static org.quicktheories.generators.Generate.pick;

/** Credentials never reach the log: whatever logs them, wherever in the line, the line holds *** instead. */
@PlatformTest
class SecretRedactionPropertiesTest {

    private static final Logger log = LoggerFactory.getLogger("org.mcpplatform.test.Redaction");
    private static final JsonStringEncoder JSON_STRING = JsonStringEncoder.getInstance();

    @LocalServerPort
    int port;

    LogCapture logs;

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.start();
    }

    @AfterEach
    void releaseLogs() {
        logs.close();
    }

    /**
     * A text that holds a secret the way code tends to log one.
     *
     * @param secret the part that must not show; what a partial leak would reveal of it is checked too
     */
    record Leak(String kind, String secret, String text) {
        @Override
        public String toString() {
            return kind + ": " + text;
        }
    }

    /** Where in a log line the text goes. */
    enum Placement {
        MESSAGE, MDC_VALUE, KEY_VALUE, EXCEPTION_MESSAGE, CAUSE_MESSAGE;

        void log(String marker, String text) {
            switch (this) {
                case MESSAGE -> log.info("{} {}", marker, text);
                case MDC_VALUE -> {
                    MDC.put("detail", text);
                    try {
                        log.info(marker);
                    } finally {
                        MDC.remove("detail");
                    }
                }
                case KEY_VALUE -> log.atInfo().addKeyValue("detail", text).log(marker);
                case EXCEPTION_MESSAGE -> log.warn(marker, new IllegalStateException(text));
                case CAUSE_MESSAGE -> log.error(marker, new RuntimeException("wrapped",
                                                                              new IOException(text)));
            }
        }
    }

    static Gen<Leak> passwordLeaks() {
        Gen<Leak> json = passwords().map(p -> new Leak("password", p,
                "login {\"username\":\"u1\",\"password\":\"" + escaped(p) + "\"}"));
        Gen<Leak> keyValue = strings(TOKEN, 8, 40).zip(pick(List.of("password", "db_password", "client_secret",
                                                                    "PRIVATE_KEY", "passwd", "secret")),
                (p, name) -> new Leak("password", p, "connecting with " + name + "=" + p + " to db"));
        Gen<Leak> colon = strings(TOKEN, 8, 40).map(p -> new Leak("password", p, "password: " + p));
        Gen<Leak> form = strings(TOKEN.replace("&", ""), 8, 40).map(p -> new Leak("password", p,
                "body grant_type=password&client_secret=" + p + "&scope=all"));
        return oneOf(json, keyValue, colon, form);
    }

    static Gen<Leak> tokenLeaks() {
        Gen<Leak> bearerJwt = jwts().map(t -> new Leak("JWT", t, "Authorization: Bearer " + t));
        Gen<Leak> rawJwt = jwts().map(t -> new Leak("JWT", t, "issued " + t + " to u1"));
        Gen<Leak> jsonJwt = jwts().map(t -> new Leak("JWT", t,
                "{\"access_token\":\"" + t + "\",\"token_type\":\"bearer\",\"expires_in\":900}"));
        Gen<Leak> refresh = refreshTokens().zip(pick(List.of("raw", "json")), (t, how) -> new Leak("refresh token", t,
                how.equals("raw") ? "rotating " + t : "{\"refresh_token\":\"" + t + "\"}"));
        Gen<Leak> opaque = strings(TOKEN, 12, 60).zip(pick(List.of("headers", "basic", "plain", "lower")),
                (t, how) -> new Leak("Authorization header", t, switch (how) {
                    case "headers" -> "headers=[Accept:\"application/json\", Authorization:\"Bearer " + t + "\"]";
                    case "plain" -> "Authorization: " + t;
                    case "lower" -> "authorization=" + t;
                    default -> "Authorization: Basic " + java.util.Base64.getEncoder().encodeToString(
                            ("user:" + t).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }));
        Gen<Leak> cookie = strings(TOKEN.replace("|", ""), 12, 40).map(v -> new Leak("cookie", v,
                "Cookie: theme=dark; session=" + v + "; lang=en"));
        return oneOf(bearerJwt, rawJwt, jsonJwt, refresh, opaque, cookie);
    }

    static Gen<Leak> apiKeyLeaks() {
        return apiKeys().zip(pick(List.of("raw", "header", "query", "json")), (key, how) -> new Leak("API key",
                // the first 8 characters (mcp_ and 4 of the key id) may stay: they name the key, they do not open it
                key.substring(8), switch (how) {
                    case "raw" -> "key " + key + " is revoked";
                    case "header" -> "X-API-Key: " + key;
                    case "query" -> "GET /api/v1/mcps?page=1&api_key=" + key;
                    default -> "{\"apikey\":\"" + key + "\",\"name\":\"ci\"}";
                }));
    }

    /** A tool config with a secret in the env or headers of an MCP server, logged as JSON or as a Java map. */
    static Gen<Leak> configLeaks() {
        Gen<String> names = strings("ABCDEFGHIJKLMNOPQRSTUVWXYZ_", 3, 16);
        Gen<Leak> json = names.zip(strings(PRINTABLE, 8, 40), pick(List.of("env", "headers", "escaped")),
                (name, value, how) -> {
                    ObjectNode server = Api.JSON.createObjectNode();
                    if (how.equals("headers")) {
                        server.put("url", "https://mcp.example.com/mcp");
                        server.putObject("headers").put("X-" + name, value).put("Accept", "text/event-stream");
                    } else {
                        server.put("command", "npx").putArray("args").add("-y").add("@acme/server");
                        server.putObject("env").put("UNITS", "metric").put(name, value);
                    }
                    ObjectNode config = Api.JSON.createObjectNode();
                    config.putObject("mcpServers").set("acme", server);
                    String text = config.toString();
                    return new Leak("config " + how + " value", value, how.equals("escaped")
                            ? "event {\"payload\":\"" + escaped(text) + "\"}"
                            : "registering config " + text);
                });
        Gen<Leak> map = names.zip(strings(TOKEN, 8, 40), (name, value) -> new Leak("config env value", value,
                "config {mcpServers={acme={command=npx, env={" + name + "=" + value + ", UNITS=metric}}}}"));
        return oneOf(json, map);
    }

    static Gen<Leak> leaks() {
        return oneOf(passwordLeaks(), tokenLeaks(), apiKeyLeaks(), configLeaks());
    }

    // Property 40: Sensitive Data Redaction — for any password, token, API key, Authorization or Cookie header value
    // and tool config secret logged anywhere in a line (message, MDC, key-value pair, exception and cause messages),
    // the line the platform writes holds *** and nothing of the value
    @Test
    void secretsAreRedactedWhereverTheyAreLogged() {
        qt().withExamples(300).forAll(leaks(), pick(List.of(Placement.values()))).checkAssert((leak, placement) -> {
            Secrets.remember(leak.kind(), leak.secret());
            String marker = "p40-" + UUID.randomUUID();
            placement.log(marker, leak.text());
            List<String> lines = logs.containing(marker);
            assertThat(lines).as("one line for %s", marker).hasSize(1);
            String line = lines.get(0);
            LogCapture.parse(line);
            assertNothingOf(leak, line);
            assertThat(line).contains(Redactor.MASK);
        });
    }

    // Property 40: Sensitive Data Redaction — in the text format too (MCP_LOG_FORMAT=text), and user values carrying
    // CR, LF or ANSI escape sequences stay on their one line with the control characters shown, not obeyed
    @Test
    void textFormatRedactsAndNeutralisesControlCharacters() {
        PlatformLogFormat text = new PlatformLogFormat(new MockEnvironment().withProperty("mcp.log.format", "text"));
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        Gen<String> injections = pick(List.of("\r\n2026-01-01T00:00:00Z ERROR forged line", "\u001b[31mred\u001b[0m",
                                              "\u001b]0;title\u0007", "\u009b2J", "a\rb", "\u2028next", "\u202eevil"));
        qt().withExamples(200).forAll(leaks(), injections).checkAssert((leak, injection) -> {
            Secrets.remember(leak.kind(), leak.secret());
            LoggingEvent event = new LoggingEvent(Logger.class.getName(), logback.getLogger("org.mcpplatform.test"),
                                                  Level.INFO, injection + " {} " + injection, null,
                                                  new Object[]{leak.text()});
            String line = text.format(event);
            assertThat(line).endsWith("\n");
            String body = line.substring(0, line.length() - 1);
            assertThat(body).doesNotContain("\n", "\r", "\u001b", "\u009b", "\u2028", "\u202e");
            assertNothingOf(leak, body);
            assertThat(body).contains(Redactor.MASK);
        });
    }

    // Property 40: Sensitive Data Redaction — JSON lines: CR, LF and ANSI escapes in user values never split a line,
    // and even decoded the message holds no control character a terminal would obey
    @Test
    void controlCharactersNeverSplitOrEscapeAJsonLine() {
        Gen<String> values = strings(PRINTABLE + "\r\n\u001b\u009b\u0007\u2028\u202e", 1, 60);
        qt().withExamples(200).forAll(values, pick(List.of(Placement.values()))).checkAssert((value, placement) -> {
            String marker = "ctl-" + UUID.randomUUID();
            placement.log(marker, value);
            List<String> lines = logs.containing(marker);
            assertThat(lines).hasSize(1);
            JsonNode line = LogCapture.parse(lines.get(0));
            for (String field : List.of("message", "detail")) {
                assertThat(line.path(field).asText()).doesNotContain("\u001b", "\u009b", "\u0007", "\u2028", "\u202e");
            }
            for (String field : List.of("message", "stack_trace")) {
                assertThat(line.path("error").path(field).asText()).doesNotContain("\u001b", "\u009b", "\u0007");
            }
        });
    }

    // Property 40: Sensitive Data Redaction — over HTTP: credentials in headers and query values of a request are in
    // none of the lines the request writes (the access log names query parameters, never their values)
    @Test
    void requestCredentialsStayOutOfTheAccessLog() {
        Api api = new Api(port);
        qt().withExamples(30).withShrinkCycles(20).forAll(jwts(), apiKeys(), strings(BASE64URL, 16, 40)).checkAssert((jwt, key, token) -> {
            Secrets.remember(token);
            String requestId = "p40-" + UUID.randomUUID();
            // whether the platform accepts these credentials or not, it must not log them
            api.get("/api/v1/mcps?page_size=1&token=" + token + "&api_key=" + key,
                    "Authorization", "Bearer " + jwt, "X-API-Key", key, "X-Request-ID", requestId);
            List<JsonNode> access = logs.await(requestId, LogCapture.logger(AccessLog.class),
                                                   Duration.ofSeconds(3));
            assertThat(access).hasSize(1);
            assertThat(access.get(0).path("query_params").toString()).isEqualTo("[\"page_size\",\"token\",\"api_key\"]");
            for (String line : logs.containing(requestId)) {
                assertThat(line).doesNotContain(jwt, key, token, key.substring(8));
            }
        });
    }

    /** Neither the secret, nor its JSON-escaped forms, nor any 8 characters in a row of it. */
    private static void assertNothingOf(Leak leak, String line) {
        String secret = leak.secret();
        assertThat(line).as(leak.kind()).doesNotContain(secret, escaped(secret), escaped(escaped(secret)));
        for (int i = 0; i + 8 <= secret.length(); i++) {
            assertThat(line).as("%s: part at %d", leak.kind(), i).doesNotContain(secret.substring(i, i + 8));
        }
    }

    private static String escaped(String text) {
        return new String(JSON_STRING.quoteAsString(text));
    }
}
