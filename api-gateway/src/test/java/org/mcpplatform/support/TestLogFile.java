package org.mcpplatform.support;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The file every application started by the tests logs to (src/test/resources/config/application.yml). It is
 * emptied when a test run starts, so that what SecretsNeverLoggedTest scans is this run's log and nothing older.
 */
public final class TestLogFile implements LauncherSessionListener {

    public static final Path DIRECTORY = Path.of("target", "test-logs");
    public static final Path FILE = DIRECTORY.resolve("platform.log");

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        parts().forEach(part -> {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The log and its rolled-over parts (platform.log.2026-11-25.0.gz). */
    public static List<Path> parts() {
        if (!Files.isDirectory(DIRECTORY)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.filter(file -> file.getFileName().toString().startsWith(FILE.getFileName().toString()))
                        .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
