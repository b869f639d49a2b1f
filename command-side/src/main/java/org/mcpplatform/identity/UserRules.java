package org.mcpplatform.identity;

import org.mcpplatform.common.ValidationException;
import org.mcpplatform.common.Violation;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What an account's and an API key's fields may hold. Field names are those of the API's request bodies, so that the
 * 422 names what the client sent (the client sends a password, the command carries its hash).
 */
public class UserRules {

    public static final int MAX_EMAIL_LENGTH = 255;
    public static final int MAX_EMAIL_LOCAL_PART_LENGTH = 64;
    public static final int MAX_KEY_NAME_LENGTH = 100;
    private static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{2,99}$");
    /**
     * RFC 5321's dot-atom local part and a host name with a top-level domain of letters: no quoted local parts, IP
     * literals or internationalised names, which no one registers a tool platform account with.
     */
    private static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$");

    private final Clock clock;

    public UserRules(Clock clock) {
        this.clock = clock;
    }

    public void checkRegistration(RegisterUser command) {
        List<Violation> violations = new ArrayList<>();
        if (command.userId() == null || command.userId().isBlank()) {
            violations.add(new Violation("id", "is required"));
        }
        checkUsername(command.username(), violations);
        checkEmail(command.email(), violations);
        if (command.role() == null) {
            violations.add(new Violation("role", "is required (admin, developer or viewer)"));
        }
        if (command.passwordHash() == null || command.passwordHash().isBlank()) {
            violations.add(new Violation("password", "is required"));
        }
        throwIfAny(violations);
    }

    public void checkApiKey(IssueApiKey command) {
        List<Violation> violations = new ArrayList<>();
        if (command.keyId() == null || command.keyId().isBlank()) {
            violations.add(new Violation("id", "is required"));
        }
        if (command.name() == null) {
            violations.add(new Violation("name", "is required"));
        } else if (command.name().isBlank()) {
            violations.add(new Violation("name", "must not be blank"));
        } else if (command.name().codePointCount(0, command.name().length()) > MAX_KEY_NAME_LENGTH) {
            violations.add(new Violation("name", "must be at most " + MAX_KEY_NAME_LENGTH + " characters"));
        }
        if (command.prefix() == null || command.prefix().isBlank()) {
            violations.add(new Violation("prefix", "is required"));
        }
        if (command.secretHash() == null || command.secretHash().isBlank()) {
            violations.add(new Violation("key", "is required"));
        }
        if (command.expiresAt() != null && !command.expiresAt().isAfter(clock.instant())) {
            violations.add(new Violation("expires_at", "must be in the future"));
        }
        throwIfAny(violations);
    }

    private static void checkUsername(String username, List<Violation> violations) {
        if (username == null) {
            violations.add(new Violation("username", "is required"));
        } else if (!USERNAME.matcher(username).matches()) {
            violations.add(new Violation("username", "must be 3 to 100 characters: letters, digits, '.', '_' and "
                    + "'-', starting with a letter or digit"));
        }
    }

    private static void checkEmail(String email, List<Violation> violations) {
        if (email == null) {
            violations.add(new Violation("email", "is required"));
        } else if (email.length() > MAX_EMAIL_LENGTH) {
            violations.add(new Violation("email", "must be at most " + MAX_EMAIL_LENGTH + " characters"));
        } else if (!EMAIL.matcher(email).matches()
                || email.indexOf('@') > MAX_EMAIL_LOCAL_PART_LENGTH) {
            violations.add(new Violation("email", "must be an email address, e.g. ada@example.com"));
        }
    }

    private static void throwIfAny(List<Violation> violations) {
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
    }
}
