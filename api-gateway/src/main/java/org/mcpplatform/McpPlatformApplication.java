package org.mcpplatform;

import org.mcpplatform.admin.ReadModelDowngradeCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.util.Arrays;

/** The MCP Platform: one process serving the REST API over the command side, the query side and the event store. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class McpPlatformApplication {

    /** Runs the platform, or with {@code downgrade-read-model} as first argument that operators' command. */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(ReadModelDowngradeCommand.NAME)) {
            System.exit(ReadModelDowngradeCommand.run(System.out, Arrays.copyOfRange(args, 1, args.length)));
        }
        disableAxonUpdateCheckUnlessAsked();
        SpringApplication.run(McpPlatformApplication.class, args);
    }

    /**
     * Axon asks AxonIQ's servers for updates at start-up. Platform nodes often run without outside network access, and
     * a registry should not report its deployments to a third party unasked, so the check is off unless the operator
     * sets AXONIQ_UPDATE_CHECKER_DISABLED=false.
     */
    public static void disableAxonUpdateCheckUnlessAsked() {
        if (System.getenv("AXONIQ_UPDATE_CHECKER_DISABLED") == null
                && System.getProperty("axoniq.update-checker.disabled") == null) {
            System.setProperty("axoniq.update-checker.disabled", "true");
        }
    }
}
