package org.mcpplatform.logging;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.PlatformTest;
import org.mcpplatform.support.Secrets;
import org.mcpplatform.support.TestLogFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs last (junit-platform.properties orders classes by @Order): the log of the whole test run, which every
 * application the tests started wrote to target/test-logs, holds none of the secrets the tests remembered
 * ({@link Secrets}) and no credential in the platform's formats. A failure names the kind of secret, the test that
 * remembered it and where in the log it is, never the secret itself.
 */
@PlatformTest
@Order(Integer.MAX_VALUE)
class SecretsNeverLoggedTest {

    private static final Logger log = LoggerFactory.getLogger(SecretsNeverLoggedTest.class);
    private static final Map<String, Pattern> FORMATS = Map.of(
            "API key", SecretPatterns.API_KEY,
            "refresh token", SecretPatterns.REFRESH_TOKEN,
            "JWT", SecretPatterns.JWT,
            "Authorization header credential", SecretPatterns.AUTHORIZATION_CREDENTIAL);
    private static final Pattern LOGGER = Pattern.compile("\"logger_name\":\"([^\"]*)\"");
    private static final Pattern REQUEST_ID = Pattern.compile("\"request_id\":\"([^\"]*)\"");
    private static final int MAX_REPORTED = 50;

    @Test
    void theLogOfTheWholeRunHoldsNoSecret() throws IOException {
        // proves that the file is still this run's log: a scan of a stale or unwritten file would find nothing
        String canary = "leak-check-canary-" + UUID.randomUUID();
        log.info(canary);
        List<Path> parts = TestLogFile.parts();
        assertThat(parts).as("the test log %s", TestLogFile.FILE).isNotEmpty();

        RememberedIndex remembered = new RememberedIndex(Secrets.all());
        List<String> findings = new ArrayList<>();
        boolean canaryFound = false;
        long lines = 0;
        for (Path part : parts) {
            try (BufferedReader reader = open(part)) {
                int number = 0;
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    number++;
                    lines++;
                    canaryFound |= line.contains(canary);
                    for (String kind : remembered.kindsIn(line)) {
                        findings.add(kind + " in " + where(part, number, line));
                    }
                    for (Map.Entry<String, Pattern> format : FORMATS.entrySet()) {
                        if (format.getValue().matcher(line).find()) {
                            findings.add("an unredacted " + format.getKey() + " in " + where(part, number, line));
                        }
                    }
                }
            }
        }
        assertThat(canaryFound).as("%s is written by the running application (%d lines read)", TestLogFile.FILE,
                                   lines).isTrue();
        assertThat(findings.subList(0, Math.min(findings.size(), MAX_REPORTED)))
                .as("secrets in the test log: %d findings (the first %d shown), %d secrets remembered, %d lines read",
                    findings.size(), MAX_REPORTED, remembered.size(), lines)
                .isEmpty();
    }

    private static BufferedReader open(Path part) throws IOException {
        InputStream in = Files.newInputStream(part);
        if (part.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    private static String where(Path part, int number, String line) {
        return part.getFileName() + " line " + number + " (logger " + group(LOGGER, line) + ", request_id "
                + group(REQUEST_ID, line) + ")";
    }

    private static String group(Pattern pattern, String line) {
        Matcher matcher = pattern.matcher(line);
        return matcher.find() ? matcher.group(1) : "-";
    }

    /**
     * The remembered secrets, as they would appear in a JSON line (as they are, and JSON-escaped), indexed by their
     * first {@link Secrets#MIN_LENGTH} characters so that a line is scanned once, not once per secret.
     */
    private static final class RememberedIndex {
        private final Map<String, List<Form>> byPrefix = new HashMap<>();
        private final int size;

        private record Form(String text, Secrets.Remembered secret) {
        }

        RememberedIndex(java.util.Collection<Secrets.Remembered> secrets) {
            this.size = secrets.size();
            JsonStringEncoder json = JsonStringEncoder.getInstance();
            for (Secrets.Remembered secret : secrets) {
                Set<String> forms = new LinkedHashSet<>(List.of(secret.value(),
                                                                new String(json.quoteAsString(secret.value()))));
                for (String form : forms) {
                    byPrefix.computeIfAbsent(form.substring(0, Secrets.MIN_LENGTH), prefix -> new ArrayList<>())
                            .add(new Form(form, secret));
                }
            }
        }

        int size() {
            return size;
        }

        /** What the line leaks, as "kind remembered by test", never the secret. */
        Set<String> kindsIn(String line) {
            Set<String> kinds = new LinkedHashSet<>();
            if (byPrefix.isEmpty()) {
                return kinds;
            }
            for (int i = 0; i + Secrets.MIN_LENGTH <= line.length(); i++) {
                List<Form> candidates = byPrefix.get(line.substring(i, i + Secrets.MIN_LENGTH));
                if (candidates != null) {
                    for (Form form : candidates) {
                        if (line.startsWith(form.text(), i)) {
                            kinds.add(form.secret().toString());
                        }
                    }
                }
            }
            return kinds;
        }
    }
}
