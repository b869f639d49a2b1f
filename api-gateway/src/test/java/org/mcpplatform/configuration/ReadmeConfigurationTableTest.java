package org.mcpplatform.configuration;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README.md's configuration table is the list of variables application.yml reads, no more and no fewer, each with
 * application.yml's default: `value`, "empty" or "unset" for an empty default (what it then means may follow), or, for
 * a default made of other variables, a description that names them.
 */
class ReadmeConfigurationTableTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z][A-Z0-9_]*)` \\| ([^|]*) \\| ([^|]*) \\|$");

    private final Map<String, String> variables = Settings.schema().variables();

    @Test
    void theTableListsExactlyTheVariablesApplicationYmlReads() throws IOException {
        assertThat(table().keySet()).containsExactlyInAnyOrderElementsOf(variables.keySet());
    }

    @Test
    void theTableGivesEachVariableItsDefaultInApplicationYml() throws IOException {
        Map<String, String> table = table();
        variables.forEach((variable, defaultValue) -> {
            String cell = table.get(variable);
            if (cell == null) {
                return; // the other test names it
            }
            if (defaultValue.isEmpty()) {
                assertThat(cell).as(variable + ": application.yml has no default").matches("(empty|unset)\\b.*");
            } else if (defaultValue.contains("${")) {
                Settings.Placeholder.all(defaultValue).forEach(part -> assertThat(cell)
                        .as(variable + ": the default is made of " + part.name()).contains(part.name()));
            } else {
                assertThat(cell).as(variable).isEqualTo("`" + defaultValue + "`");
            }
        });
    }

    /** Variable to default cell, one row per variable. */
    private static Map<String, String> table() throws IOException {
        String readme = Files.readString(readme());
        int start = readme.indexOf("\n## Configuration\n");
        assertThat(start).as("README.md has a Configuration section").isPositive();
        int end = readme.indexOf("\n## ", start + 1);
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            Matcher row = ROW.matcher(line);
            assertThat(row.matches()).as("a row of one variable, its default and its meaning: " + line).isTrue();
            assertThat(rows.put(row.group(1), row.group(2).strip())).as("listed once: " + row.group(1)).isNull();
        }
        return rows;
    }

    private static Path readme() {
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.exists(here.resolve("README.md"))) {
            here = here.getParent();
        }
        assertThat(here).as("README.md above " + Path.of("").toAbsolutePath()).isNotNull();
        return here.resolve("README.md");
    }
}
