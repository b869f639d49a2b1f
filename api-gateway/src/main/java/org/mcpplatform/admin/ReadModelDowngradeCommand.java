package org.mcpplatform.admin;

import org.mcpplatform.deployment.DeploymentProjection;
import org.mcpplatform.deployment.DeploymentReadRepository;
import org.mcpplatform.identity.UserProjection;
import org.mcpplatform.identity.UserReadRepository;
import org.mcpplatform.projection.ReadModelDowngrade;
import org.mcpplatform.tool.ToolProjection;
import org.mcpplatform.tool.ToolReadRepository;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar mcp-platform.jar downgrade-read-model --target=<version>}: takes the read-model database back to
 * an earlier migration the event-sourced way ({@link ReadModelDowngrade}), with every node stopped, before the
 * platform version that expects that schema starts and rebuilds the projections from the events. A command, not an
 * endpoint: a running platform needs the schema of its own version, so the downgrade happens between stopping one
 * version and starting the other. It reads the same configuration as the platform (MYSQL_URL, MYSQL_USER,
 * MYSQL_PASSWORD, MCP_DATA_DIR, command-line {@code --name=value}) and starts nothing else: no web server, no event
 * processor, no migration to the latest version. {@code --list} prints the applied versions.
 */
@ImportAutoConfiguration(DataSourceAutoConfiguration.class)
public class ReadModelDowngradeCommand {

    public static final String NAME = "downgrade-read-model";

    /**
     * Every read model the events rebuild: processing group -> the tables its projection writes. The same as the
     * platform's RebuildableProjection beans (a test holds them equal); the command reads it without starting them.
     */
    public static final Map<String, List<String>> PROJECTIONS = Map.of(
            ToolProjection.PROCESSING_GROUP, List.of(ToolReadRepository.TABLE),
            UserProjection.PROCESSING_GROUP, List.of(UserReadRepository.USERS, UserReadRepository.API_KEYS),
            DeploymentProjection.PROCESSING_GROUP, List.of(DeploymentReadRepository.TABLE));

    private ReadModelDowngradeCommand() {
    }

    /** Runs the command with the arguments after its name; returns the process's exit status. */
    public static int run(PrintStream out, String... args) {
        boolean list = Arrays.asList(args).contains("--list");
        String target = Arrays.stream(args).filter(arg -> arg.startsWith("--target=")).findFirst()
                              .map(arg -> arg.substring("--target=".length())).orElse(null);
        if (!list && (target == null || target.isBlank())) {
            out.println("usage: java -jar mcp-platform.jar " + NAME + " --target=<version> | --list");
            out.println("  with every platform node stopped; the environment of the platform (MYSQL_URL, ...)");
            return 2;
        }
        SpringApplication application = new SpringApplication(ReadModelDowngradeCommand.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        // the operator reads the command's report on the console, not the connection pool's start-up lines
        application.setDefaultProperties(Map.of("logging.level.root", "warn"));
        try (ConfigurableApplicationContext context = application.run(args)) {
            ReadModelDowngrade downgrade = new ReadModelDowngrade(context.getBean(DataSource.class), PROJECTIONS);
            if (list) {
                out.println("applied read-model migrations: " + String.join(", ", downgrade.appliedVersions()));
                return 0;
            }
            ReadModelDowngrade.Result result = downgrade.downgradeTo(target.strip());
            out.println("read model taken from version " + result.from() + " back to " + result.to());
            out.println("  rows kept:    " + result.carriedOver());
            out.println("  emptied:      " + result.emptied() + " (rebuilt from the events when the platform starts)");
            out.println("  rows lost:    " + result.lost() + " (tables version " + result.to() + " does not have)");
            return 0;
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            return 1;
        }
    }
}
