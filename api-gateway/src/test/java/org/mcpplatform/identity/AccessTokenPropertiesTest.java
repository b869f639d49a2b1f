package org.mcpplatform.identity;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;

import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

/** Access tokens say who the user is and what they may do, and verify as that user for exactly their lifetime. */
class AccessTokenPropertiesTest {

    private static final Instant ISSUED = Instant.parse("2026-11-25T10:00:00Z");
    private static final long LIFETIME = TokenFixtures.ACCESS_TTL.toSeconds();
    private static final long SKEW = TokenFixtures.CLOCK_SKEW.toSeconds();

    @TempDir
    static Path dataDir;

    static JwtKeys keys;
    static TokenFixtures.MutableClock clock;
    static AccessTokens tokens;

    record User(String id, String username, Role role, String sessionId) {
    }

    @BeforeAll
    static void keys() {
        TokenProperties properties = TokenFixtures.properties(dataDir);
        keys = new JwtKeys(properties);
        clock = new TokenFixtures.MutableClock(ISSUED);
        tokens = new AccessTokens(keys, properties, clock);
    }

    static Gen<String> uuids() {
        return longs().all().zip(longs().all(), (high, low) -> new UUID(high, low).toString());
    }

    static Gen<User> users() {
        return uuids().zip(strings().basicLatinAlphabet().ofLengthBetween(1, 64), arbitrary().enumValues(Role.class),
                           uuids(), User::new);
    }

    private static JWTClaimsSet payload(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new AssertionError("not a signed JWT: " + token, e);
        }
    }

    // Property 20: JWT Token Claims Completeness — for any valid user authentication, the token contains claims for
    // user_id and roles
    @Test
    void everyTokenNamesItsUserTheirRolesAndTheirPermissions() {
        qt().withExamples(200).forAll(users()).checkAssert(user -> {
            clock.set(ISSUED);
            IssuedToken issued = tokens.issue(user.id(), user.username(), user.role(), user.sessionId());

            SignedJWT jwt;
            JWTClaimsSet claims;
            try {
                jwt = SignedJWT.parse(issued.value());
                claims = jwt.getJWTClaimsSet();
                assertThat(claims.getStringListClaim(AccessTokens.ROLES)).containsExactly(user.role().value());
                assertThat(claims.getStringListClaim(AccessTokens.PERMISSIONS))
                        .isEqualTo(RolePermissions.of(user.role()));
                assertThat(claims.getStringClaim(AccessTokens.USERNAME)).isEqualTo(user.username());
                assertThat(claims.getStringClaim(AccessTokens.SESSION_ID)).isEqualTo(user.sessionId());
            } catch (ParseException e) {
                throw new AssertionError(e);
            }
            assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
            assertThat(jwt.getHeader().getKeyID()).isEqualTo(keys.keyId());
            assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
            assertThat(claims.getSubject()).isEqualTo(user.id());
            assertThat(claims.getIssuer()).isEqualTo(TokenFixtures.ISSUER);
            assertThat(claims.getAudience()).containsExactly(TokenFixtures.AUDIENCE);
            assertThat(claims.getIssueTime().toInstant()).isEqualTo(ISSUED);
            assertThat(claims.getNotBeforeTime().toInstant()).isEqualTo(ISSUED);
            assertThat(claims.getExpirationTime().toInstant()).isEqualTo(ISSUED.plusSeconds(LIFETIME))
                                                             .isEqualTo(issued.expiresAt());
            assertThat(issued.expiresInSeconds()).isEqualTo(LIFETIME);
            assertThat(UUID.fromString(claims.getJWTID())).isNotNull();
        });
    }

    @Test
    void noTwoTokensShareAnId() {
        List<String> ids = IntStream.range(0, 100)
                                    .mapToObj(i -> tokens.issue("u", "u", Role.VIEWER, "s"))
                                    .map(issued -> payload(issued.value()).getJWTID())
                                    .toList();
        assertThat(ids).doesNotHaveDuplicates();
    }

    // Property 21: JWT Token Round-Trip Validation — for any JWT token generated by the system, the token validates
    // and returns the original user_id within the expiry period
    @Test
    void everyTokenVerifiesAsItsUserThroughoutItsLifetime() {
        qt().withExamples(200)
            .forAll(users(), integers().between(0, (int) (LIFETIME + SKEW) - 1))
            .checkAssert((user, secondsLater) -> {
                clock.set(ISSUED);
                IssuedToken issued = tokens.issue(user.id(), user.username(), user.role(), user.sessionId());
                clock.set(ISSUED.plusSeconds(secondsLater));

                Jwt jwt = tokens.verify(issued.value());

                assertThat(jwt.getSubject()).isEqualTo(user.id());
                assertThat(jwt.getClaimAsStringList(AccessTokens.ROLES)).containsExactly(user.role().value());
                assertThat(jwt.getClaimAsString(AccessTokens.SESSION_ID)).isEqualTo(user.sessionId());
                assertThat(jwt.getExpiresAt()).isEqualTo(issued.expiresAt());
            });
    }

    // Property 22: Expired JWT Rejection — past its expiry (and the clock skew) no token verifies
    @Test
    void noTokenVerifiesAfterItsLifetimeAndTheSkew() {
        qt().withExamples(100)
            .forAll(users(), integers().between((int) (LIFETIME + SKEW) + 1, 30 * 24 * 3600))
            .checkAssert((user, secondsLater) -> {
                clock.set(ISSUED);
                IssuedToken issued = tokens.issue(user.id(), user.username(), user.role(), user.sessionId());
                clock.set(ISSUED.plusSeconds(secondsLater));

                assertThatThrownBy(() -> tokens.verify(issued.value())).isInstanceOf(JwtException.class);
            });
    }
}
