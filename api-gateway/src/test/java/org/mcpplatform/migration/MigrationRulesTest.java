package org.mcpplatform.migration;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read model's migrations only use statements {@link FailedMigrationRollback} can undo: it sees which tables a
 * migration changes by the names written in it, so nothing may change a table through SQL built at run time, a stored
 * routine or a trigger; and every statement must also run on the embedded H2 (no RENAME TABLE, for one).
 */
class MigrationRulesTest {

    private static final Pattern ALLOWED = Pattern.compile(
            "^(CREATE TABLE|CREATE (UNIQUE )?INDEX|ALTER TABLE|DROP TABLE|DROP INDEX|CREATE (OR REPLACE )?VIEW"
                    + "|DROP VIEW|INSERT INTO|UPDATE|DELETE FROM)\\s", Pattern.CASE_INSENSITIVE);

    @Test
    void everyStatementOfTheReadModelsMigrationsIsOneTheRollbackCanUndo() throws Exception {
        List<String> refused = new ArrayList<>();
        List<Path> scripts = scripts();
        assertThat(scripts).isNotEmpty();
        for (Path script : scripts) {
            for (String statement : statements(Files.readString(script))) {
                if (!ALLOWED.matcher(statement).find()) {
                    refused.add(script.getFileName() + ": " + statement.lines().findFirst().orElse(statement));
                }
            }
        }
        assertThat(refused).as("statements the migration rollback cannot undo").isEmpty();
    }

    @Test
    void theRuleRefusesWhatTheRollbackCannotSee() {
        assertThat(statements("""
                -- a comment; with a semicolon
                CREATE TABLE t (id INT) ${table_options};
                SET @s = CONCAT('ALTER TABLE ', 't ADD COLUMN x INT');
                PREPARE s FROM @s;
                CREATE TRIGGER t_touch BEFORE INSERT ON t FOR EACH ROW SET NEW.id = 1;
                RENAME TABLE t TO u;
                """).stream().filter(statement -> !ALLOWED.matcher(statement).find()).toList())
                .hasSize(4);
    }

    /** The statements of a script: comment lines left out, split at a semicolon that ends a line. */
    private static List<String> statements(String script) {
        String withoutComments = String.join("\n", script.lines().filter(line -> !line.strip().startsWith("--"))
                                                         .toList());
        return Stream.of(withoutComments.split(";\\s*(\\n|$)")).map(String::strip)
                     .filter(statement -> !statement.isEmpty()).toList();
    }

    private List<Path> scripts() throws IOException, URISyntaxException {
        URI location = getClass().getClassLoader().getResource("db/migration").toURI();
        if (location.getScheme().equals("jar")) {
            FileSystem jar = FileSystems.newFileSystem(location, Map.of());
            return list(jar.provider().getPath(location));
        }
        return list(Path.of(location));
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".sql")).sorted().toList();
        }
    }
}
