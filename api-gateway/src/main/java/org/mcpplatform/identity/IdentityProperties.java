package org.mcpplatform.identity;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/**
 * Accounts and credentials ({@code mcp.identity.*}, a section of
 * {@link org.mcpplatform.configuration.ApiGatewayProperties}).
 *
 * @param adminUsername     the administrator created on first start, when there are no users yet
 * @param adminPassword     that administrator's password; when unset on the embedded default a random one is printed
 *                          once to the console; with an outside MongoDB it is required on first start
 * @param adminEmail        that administrator's e-mail address
 * @param credentialCacheTtl how long a node trusts what it read from the credential store (users' roles and activity,
 *                          API key revocations): the upper bound for a revocation to reach every node
 * @param apiKeyUseFlush    how often the last use of API keys is written (once per key per period, not per request)
 */
public record IdentityProperties(String adminUsername,
                                 @Size(min = Passwords.MIN_LENGTH, max = Passwords.MAX_LENGTH) String adminPassword,
                                 String adminEmail,
                                 @NotNull @DurationMin(millis = 0) @DurationMax(seconds = 1) Duration credentialCacheTtl,
                                 @NotNull @DurationMin(seconds = 1) Duration apiKeyUseFlush) {

    /** Unset and empty mean the same: no password given. */
    public IdentityProperties {
        adminPassword = adminPassword == null || adminPassword.isEmpty() ? null : adminPassword;
    }

    /** The password is never shown, not even in a failure report that prints the settings. */
    @Override
    public String toString() {
        return "IdentityProperties[adminUsername=" + adminUsername + ", adminPassword=" + (adminPassword == null
                ? "unset" : "(hidden)") + ", adminEmail=" + adminEmail + ", credentialCacheTtl=" + credentialCacheTtl
                + ", apiKeyUseFlush=" + apiKeyUseFlush + "]";
    }
}
