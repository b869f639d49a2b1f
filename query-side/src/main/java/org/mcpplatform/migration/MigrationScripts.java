package org.mcpplatform.migration;

import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.Configuration;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The text of a SQL migration as Flyway runs it, and which existing tables it names. */
final class MigrationScripts {

    private MigrationScripts() {
    }

    /**
     * The names among {@code existing} that the migration's text mentions as a word (case-insensitively, quoted or
     * not, in a statement or a comment: a name too many only costs a copy). Empty when the text cannot be read (a
     * Java migration, a location that is neither on the class path nor on disk): then every name counts.
     */
    static Optional<Set<String>> namedTables(Configuration configuration, MigrationInfo migration,
                                             Collection<String> existing) {
        return text(configuration, migration).map(text -> {
            Set<String> named = new TreeSet<>();
            for (String name : existing) {
                if (Pattern.compile("(?<![\\w$])" + Pattern.quote(name) + "(?![\\w$])",
                                    Pattern.CASE_INSENSITIVE).matcher(text).find()) {
                    named.add(name);
                }
            }
            return named;
        });
    }

    static Optional<String> text(Configuration configuration, MigrationInfo migration) {
        String script = migration.getScript();
        if (script == null || !script.toLowerCase().endsWith(".sql")) {
            return Optional.empty();
        }
        return raw(configuration, migration).map(text -> withPlaceholders(configuration, text));
    }

    private static Optional<String> raw(Configuration configuration, MigrationInfo migration) {
        try {
            Optional<Path> physical = file(migration.getPhysicalLocation());
            if (physical.isPresent()) {
                return Optional.of(Files.readString(physical.get(), configuration.getEncoding()));
            }
            // a class-path script inside a jar has no file of its own; Flyway names it relative to its location
            for (Location location : configuration.getLocations()) {
                if (location.isClassPath()) {
                    String resource = location.getRootPath().isEmpty()
                            ? migration.getScript()
                            : location.getRootPath() + "/" + migration.getScript();
                    try (InputStream in = configuration.getClassLoader().getResourceAsStream(resource)) {
                        if (in != null) {
                            return Optional.of(new String(in.readAllBytes(), configuration.getEncoding()));
                        }
                    }
                } else if (location.isFileSystem()) {
                    Path file = Path.of(location.getRootPath(), migration.getScript());
                    if (Files.isRegularFile(file)) {
                        return Optional.of(Files.readString(file, configuration.getEncoding()));
                    }
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read migration " + migration.getScript(), e);
        }
    }

    /** The migration's own file, when it has one (a script inside a jar has a location that is no file). */
    private static Optional<Path> file(String physicalLocation) {
        if (physicalLocation == null || physicalLocation.isBlank()) {
            return Optional.empty();
        }
        try {
            Path path = Path.of(physicalLocation);
            return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** A table name may come from a placeholder (the read model's migrations only use one for table options). */
    private static String withPlaceholders(Configuration configuration, String text) {
        if (!configuration.isPlaceholderReplacement()) {
            return text;
        }
        String replaced = text;
        for (Map.Entry<String, String> placeholder : configuration.getPlaceholders().entrySet()) {
            replaced = replaced.replace(configuration.getPlaceholderPrefix() + placeholder.getKey()
                                                + configuration.getPlaceholderSuffix(), placeholder.getValue());
        }
        return replaced;
    }
}
