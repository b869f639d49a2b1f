package org.mcpplatform.identity;

import org.junit.jupiter.api.Test;
import org.mcpplatform.common.ValidationException;
import org.mcpplatform.common.Violation;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/** What usernames, emails and API keys may be; the aggregate's tests show that the rules are applied. */
class UserRulesTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private final UserRules rules = new UserRules(Clock.fixed(NOW, ZoneOffset.UTC));

    private List<Violation> registrationViolations(String username, String email) {
        try {
            rules.checkRegistration(new RegisterUser("u-1", username, email, Role.VIEWER, "hash"));
            return List.of();
        } catch (ValidationException e) {
            return e.violations();
        }
    }

    private static List<String> fields(List<Violation> violations) {
        return violations.stream().map(Violation::field).toList();
    }

    @Test
    void usernamesAre3To100LettersDigitsDotsUnderscoresAndHyphensStartingWithALetterOrDigit() {
        for (String valid : List.of("ada", "Ada.Lovelace", "a_b-c", "007", "x".repeat(100))) {
            assertThat(registrationViolations(valid, "ada@example.com")).as(valid).isEmpty();
        }
        for (String invalid : List.of("ab", "x".repeat(101), ".ada", "-ada", "_ada", "ada lovelace", "ada@home",
                                      "adä", "")) {
            assertThat(fields(registrationViolations(invalid, "ada@example.com"))).as(invalid)
                                                                                  .containsExactly("username");
        }
    }

    @Test
    void anyUsernameOfTheAllowedCharactersAndLengthIsValid() {
        String first = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        String rest = first + "._-";
        qt().forAll(integers().between(0, first.length() - 1),
                    lists().of(integers().between(0, rest.length() - 1)).ofSizeBetween(2, 99))
            .checkAssert((start, others) -> {
                StringBuilder username = new StringBuilder().append(first.charAt(start));
                others.forEach(index -> username.append(rest.charAt(index)));
                assertThat(registrationViolations(username.toString(), "ada@example.com")).isEmpty();
            });
    }

    @Test
    void emailsAreAddressesWithADomainAndATopLevelDomain() {
        for (String valid : List.of("ada@example.com", "Ada.Lovelace+tools@mail.example.co.uk", "a@b.io",
                                    "o'brien@example.ie")) {
            assertThat(registrationViolations("ada", valid)).as(valid).isEmpty();
        }
        for (String invalid : List.of("ada", "ada@", "@example.com", "ada@example", "ada@@example.com",
                                      "ada.@example.com", ".ada@example.com", "a..b@example.com",
                                      "ada@-example.com", "ada@example-.com", "ada@exa mple.com", "ada@example.c0m",
                                      "x".repeat(65) + "@example.com",
                                      "ada@" + "d".repeat(63) + "." + "e".repeat(63) + "." + "f".repeat(63) + "."
                                              + "g".repeat(60) + ".com")) {
            assertThat(fields(registrationViolations("ada", invalid))).as(invalid).containsExactly("email");
        }
    }

    @Test
    void aRegistrationNamesEveryMissingField() {
        assertThatThrownBy(() -> rules.checkRegistration(new RegisterUser(null, null, null, null, null)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(fields(e.violations()))
                        .containsExactly("id", "username", "email", "role", "password"));
    }

    @Test
    void anApiKeyNeedsANameOfAtMost100CharactersAHashAndAFutureExpiry() {
        assertThatThrownBy(() -> rules.checkApiKey(new IssueApiKey("u-1", "", "n".repeat(101), " ", null, NOW)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(fields(e.violations()))
                        .containsExactly("id", "name", "prefix", "key", "expires_at"));
        rules.checkApiKey(new IssueApiKey("u-1", "k-1", "n".repeat(100), "mcp_1", "hash", NOW.plusMillis(1)));
        rules.checkApiKey(new IssueApiKey("u-1", "k-1", "CI", "mcp_1", "hash", null));
    }
}
