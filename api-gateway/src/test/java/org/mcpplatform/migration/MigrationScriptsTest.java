package org.mcpplatform.migration;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The rollback copies the tables a migration names; it reads them from the script wherever Flyway found it. */
class MigrationScriptsTest {

    private static final String SCRIPT = """
            -- gadgets get a colour
            ALTER TABLE `gadgets` ADD COLUMN colour VARCHAR(20) NULL;
            INSERT INTO base_1 (id) VALUES (1);
            UPDATE ${widget_table} SET name = 'x';
            """;
    private static final List<String> EXISTING = List.of("gadgets", "base_1", "base_10", "widgets", "other");

    @TempDir
    Path temp;

    @Test
    void aScriptInsideAJarIsReadThroughTheClassLoader() throws Exception {
        Path jar = temp.resolve("migrations.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("jarred/migration/V1__gadgets.sql"));
            out.write(SCRIPT.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, getClass().getClassLoader())) {
            Flyway flyway = flyway(Flyway.configure(loader), "classpath:jarred/migration");
            MigrationInfo migration = flyway.info().all()[0];

            assertThat(MigrationScripts.namedTables(flyway.getConfiguration(), migration, EXISTING))
                    .hasValueSatisfying(named -> assertThat(named).containsExactlyInAnyOrder("gadgets", "base_1", "widgets"));
        }
    }

    @Test
    void aScriptOnDiskIsReadFromItsFile() throws Exception {
        Path directory = Files.createDirectories(temp.resolve("migrations").resolve("sub"));
        Files.writeString(directory.resolve("V1__gadgets.sql"), SCRIPT);
        Flyway flyway = flyway(Flyway.configure(), "filesystem:" + temp.resolve("migrations"));
        MigrationInfo migration = flyway.info().all()[0];

        assertThat(MigrationScripts.namedTables(flyway.getConfiguration(), migration, EXISTING))
                .hasValueSatisfying(named -> assertThat(named).containsExactlyInAnyOrder("gadgets", "base_1", "widgets"));
    }

    private Flyway flyway(org.flywaydb.core.api.configuration.FluentConfiguration configuration, String location) {
        return configuration.dataSource("jdbc:h2:mem:scripts-" + System.nanoTime() + ";MODE=MySQL", "sa", "")
                            .locations(location)
                            .placeholders(Map.of("widget_table", "widgets"))
                            .load();
    }
}
