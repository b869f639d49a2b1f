package org.mcpplatform.identity;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.util.Map;

/**
 * Password hashing with Argon2id (Spring Security's encoder, OWASP's first choice). Hashes carry their algorithm id
 * ({@code {argon2}...}) so that the parameters can be raised later without invalidating stored hashes.
 * <p>
 * A login for an unknown user still verifies against a dummy hash, so that the response time does not tell which
 * usernames exist.
 */
public class Passwords {

    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 256;

    private final PasswordEncoder encoder;
    private final String dummyHash;

    public Passwords() {
        this.encoder = new DelegatingPasswordEncoder(
                "argon2", Map.of("argon2", Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8()));
        this.dummyHash = encoder.encode("not-a-password-of-anyone");
    }

    public String hash(String password) {
        return encoder.encode(password);
    }

    /** Whether {@code password} matches {@code hash}; a null hash (no such user) costs the same and never matches. */
    public boolean matches(String password, String hash) {
        if (hash == null) {
            encoder.matches(password, dummyHash);
            return false;
        }
        return encoder.matches(password, hash);
    }
}
