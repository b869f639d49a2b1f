package org.mcpplatform.identity;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.mcpplatform.common.ConflictException;
import org.mcpplatform.common.ValidationException;
import org.mcpplatform.eventstore.EventStoreProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The first administrator. On a start with no accounts at all, creates one from MCP_ADMIN_USERNAME /
 * MCP_ADMIN_PASSWORD; on the embedded default without a password, with a random one printed once to the console
 * (not to the log: the log never holds a password). With an outside MongoDB the password must be given, so that no
 * production platform starts with an account nobody knows about.
 * <p>
 * It gets the id the platform used for its single built-in administrator before accounts existed, so the tools
 * registered then belong to it. Several nodes starting at once are safe: the username claim lets one of them win.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class AdminBootstrap implements ApplicationRunner {

    /** The bootstrap administrator's id (and author of everything registered before accounts existed). */
    public static final String FIRST_ADMIN_ID = "00000000-0000-4000-8000-000000000001";

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);
    private static final String ADMIN_PASSWORD = "mcp.identity.admin-password";

    private final UserCredentials credentials;
    private final Passwords passwords;
    private final CommandGateway commands;
    private final IdentityProperties properties;
    private final EventStoreProperties eventStore;
    private final PrintStream console;

    public AdminBootstrap(UserCredentials credentials, Passwords passwords, CommandGateway commands,
                          IdentityProperties properties, EventStoreProperties eventStore) {
        this.credentials = credentials;
        this.passwords = passwords;
        this.commands = commands;
        this.properties = properties;
        this.eventStore = eventStore;
        this.console = System.out;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (credentials.count() > 0) {
            return;
        }
        String username = blankToNull(properties.adminUsername()) == null ? "admin" : properties.adminUsername();
        String email = blankToNull(properties.adminEmail()) == null ? username + "@mcp-platform.local" : properties.adminEmail();
        String password = blankToNull(properties.adminPassword());
        boolean generated = false;
        if (password == null) {
            boolean embedded = eventStore.mongodbUri() == null || eventStore.mongodbUri().isBlank();
            if (!embedded) {
                throw new InvalidConfigurationPropertyValueException(ADMIN_PASSWORD, null,
                        "required on the first start with MONGODB_URI (there are no accounts yet): the first "
                        + "administrator's password, " + Passwords.MIN_LENGTH + " to " + Passwords.MAX_LENGTH
                        + " characters");
            }
            password = randomPassword();
            generated = true;
        }
        // its length was checked with the other settings (IdentityProperties)
        RegisterUser command = new RegisterUser(FIRST_ADMIN_ID, username, email, Role.ADMIN, passwords.hash(password));
        try {
            commands.sendAndWait(GenericCommandMessage.asCommandMessage(command).withMetaData(MetaData.from(Map.of(
                    ActorMetaData.USER_ID, ActorMetaData.SYSTEM_USER, ActorMetaData.ROLE, Role.ADMIN.value()))));
        } catch (ConflictException e) {
            log.info("The first administrator was created by another node");
            return;
        } catch (ValidationException e) {
            boolean emailRejected = e.violations().stream().anyMatch(v -> v.field().contains("email"));
            throw new InvalidConfigurationPropertyValueException(
                    emailRejected ? "mcp.identity.admin-email" : "mcp.identity.admin-username",
                    emailRejected ? email : username,
                    "the first administrator cannot be created with it: " + e.violations().stream()
                            .map(v -> v.field() + " " + v.message()).collect(Collectors.joining(", ")));
        }
        log.info("Created the first administrator '{}' (id {})", username, FIRST_ADMIN_ID);
        if (generated) {
            console.println();
            console.println("==== MCP Platform: first administrator ====");
            console.println("  username: " + username);
            console.println("  password: " + password);
            console.println("  Shown once. Log in with POST /api/v1/auth/login; set MCP_ADMIN_PASSWORD to choose it.");
            console.println("===========================================");
            console.println();
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
