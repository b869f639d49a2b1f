package org.mcpplatform.migration;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mcpplatform.migration.MigrationDatabase.HistoryRow;
import org.mcpplatform.migration.MigrationDatabase.Kind;
import org.quicktheories.core.Gen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Flyway, as the platform runs it (with the rollback callback), applies versioned migrations in the order of their
 * versions, compared part by part as numbers, whatever their file names, directories, locations and the order the
 * files were written in.
 */
class MigrationOrderPropertiesTest {

    @TempDir
    Path temp;

    /** A version as its numeric parts; "1.10" is [1, 10], and comes after "1.9". */
    record Version(List<Integer> parts) {

        /** Equal versions are equal once trailing zeros are gone ("1.0" is "1"), as Flyway sees them. */
        Version normalized() {
            List<Integer> trimmed = new ArrayList<>(parts);
            while (trimmed.size() > 1 && trimmed.get(trimmed.size() - 1) == 0) {
                trimmed.remove(trimmed.size() - 1);
            }
            return new Version(trimmed);
        }

        String text() {
            return String.join(".", parts.stream().map(String::valueOf).toList());
        }

        static final Comparator<Version> ORDER = (a, b) -> {
            for (int i = 0; i < Math.max(a.parts.size(), b.parts.size()); i++) {
                int x = i < a.parts.size() ? a.parts.get(i) : 0;
                int y = i < b.parts.size() ? b.parts.get(i) : 0;
                if (x != y) {
                    return Integer.compare(x, y);
                }
            }
            return 0;
        };
    }

    // Property 51: Migration Execution Order
    @ParameterizedTest
    @EnumSource(Kind.class)
    void migrationsRunInVersionOrderWhateverTheirFilesAndLocations(Kind kind) {
        qt().withExamples(kind == Kind.MARIADB ? 8 : 20).withShrinkCycles(5)
            .forAll(versionSets(), longs().all())
            .checkAssert((versions, layoutSeed) -> {
                Path root = temp.resolve(UUID.randomUUID().toString());
                List<String> locations = writeMigrations(root, versions, new Random(layoutSeed));
                try (MigrationDatabase database = MigrationDatabase.fresh(kind, root)) {
                    database.flyway(new FailedMigrationRollback(), locations).migrate();

                    List<String> expected = versions.stream().sorted(Version.ORDER)
                                                     .map(version -> version.normalized().text()).toList();
                    List<HistoryRow> history = database.history().stream().filter(HistoryRow::isMigration).toList();
                    assertThat(history).allMatch(HistoryRow::success);
                    // installed_rank counts up in the order the migrations ran
                    assertThat(history.stream().map(row -> normalized(row.version())).toList())
                            .containsExactlyElementsOf(expected);
                    assertThat(history.stream().map(HistoryRow::installedRank).toList()).isSorted();
                    // and each one's effect came after the one of the version before it
                    assertThat(logged(database)).containsExactlyElementsOf(expected);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
    }

    /** 1 to 7 distinct versions of 1 to 3 parts. */
    private static Gen<List<Version>> versionSets() {
        Gen<Version> version = lists().of(integers().between(0, 12)).ofSizeBetween(1, 3).map(Version::new);
        return lists().of(version).ofSizeBetween(1, 7).map(candidates -> {
            Map<Version, Version> distinct = new LinkedHashMap<>();
            candidates.forEach(candidate -> distinct.putIfAbsent(candidate.normalized(), candidate));
            return List.copyOf(distinct.values());
        });
    }

    /**
     * Writes each migration into one of two locations, maybe a subdirectory, under a file name whose version has
     * leading zeros and '.' or '_' between its parts at random, in a shuffled order. Each migration logs its version
     * into a table with an auto-increment key.
     */
    private static List<String> writeMigrations(Path root, List<Version> versions, Random random) {
        List<Path> locations = List.of(root.resolve("first"), root.resolve("second"));
        List<Version> shuffled = new ArrayList<>(versions);
        Collections.shuffle(shuffled, random);
        try {
            for (Version version : shuffled) {
                Path directory = locations.get(random.nextInt(locations.size()));
                if (random.nextBoolean()) {
                    directory = directory.resolve("sub" + random.nextInt(3));
                }
                Files.createDirectories(directory);
                String separator = random.nextBoolean() ? "." : "_";
                String fileVersion = String.join(separator, version.parts().stream()
                                                                   .map(part -> "0".repeat(random.nextInt(2)) + part)
                                                                   .toList());
                String description = List.of("create", "log", "add", "index", "widgets", "users")
                                         .get(random.nextInt(6)) + "_" + random.nextInt(1000);
                Files.writeString(directory.resolve("V" + fileVersion + "__" + description + ".sql"),
                                  "CREATE TABLE IF NOT EXISTS migration_log (\n"
                                          + "    seq INT NOT NULL AUTO_INCREMENT PRIMARY KEY,\n"
                                          + "    version VARCHAR(50) NOT NULL\n"
                                          + ") ${table_options};\n"
                                          + "INSERT INTO migration_log (version) VALUES ('"
                                          + version.normalized().text() + "');\n");
            }
            for (Path location : locations) {
                Files.createDirectories(location);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return locations.stream().map(location -> "filesystem:" + location).toList();
    }

    private static List<String> logged(MigrationDatabase database) throws SQLException {
        List<String> versions = new ArrayList<>();
        try (Connection connection = database.connect();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version FROM migration_log ORDER BY seq")) {
            while (rows.next()) {
                versions.add(rows.getString(1));
            }
        }
        return versions;
    }

    private static String normalized(String version) {
        return new Version(List.of(version.split("\\.")).stream().map(Integer::valueOf).toList()).normalized().text();
    }
}
