package org.mcpplatform.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Token settings as application.yml has them by default, with what a test needs changed. */
final class TokenFixtures {

    static final String ISSUER = "mcp-platform";
    static final String AUDIENCE = "mcp-platform-api";
    static final Duration ACCESS_TTL = Duration.ofMinutes(15);
    static final Duration REFRESH_TTL = Duration.ofDays(7);
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private TokenFixtures() {
    }

    static TokenProperties properties(Path dataDir) {
        return keys(dataDir, null, null, null, null);
    }

    static TokenProperties keys(Path dataDir, String privatePem, String publicPem, String privateFile,
                                String publicFile) {
        return new TokenProperties(ISSUER, AUDIENCE, ACCESS_TTL, REFRESH_TTL, CLOCK_SKEW, privatePem, publicPem,
                                   privateFile, publicFile, dataDir.toString(), Duration.ofSeconds(1));
    }

    static TokenProperties sessions(Duration refreshTtl, Duration sessionCheckCache) {
        return new TokenProperties(ISSUER, AUDIENCE, ACCESS_TTL, refreshTtl, CLOCK_SKEW, null, null, null, null,
                                   "target/test-data", sessionCheckCache);
    }

    /** A clock the test moves by hand, to issue a token at one instant and check it at another. */
    static final class MutableClock extends Clock {

        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** A JWT with exactly this header and these claims, signed by {@code signer}: the raw material of forgeries. */
    static String signed(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** Signed with the platform's own key and kid: only what a test changed in the claims can make it fail. */
    static String signedWithOurKey(JwtKeys keys, JWTClaimsSet claims) {
        try {
            return signed(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keys.keyId()).type(JOSEObjectType.JWT)
                                                                   .build(),
                          claims, new RSASSASigner(keys.signingKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
