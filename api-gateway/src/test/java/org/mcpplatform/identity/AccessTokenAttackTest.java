package org.mcpplatform.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.security.oauth2.jwt.JwtException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Forged, altered and stale tokens never verify. Each attack is built with Nimbus so that everything except the one
 * thing under attack is a well-formed token of ours; the first test shows that such a token does verify.
 */
class AccessTokenAttackTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @TempDir
    static Path dataDir;

    static JwtKeys keys;
    static AccessTokens tokens;
    static RSAKey attackerKey;

    @BeforeAll
    static void keys() throws JOSEException {
        TokenProperties properties = TokenFixtures.properties(dataDir);
        keys = new JwtKeys(properties);
        tokens = new AccessTokens(keys, properties, new TokenFixtures.MutableClock(NOW));
        attackerKey = new RSAKeyGenerator(2048).keyID("attacker").generate();
    }

    /** The claims of a valid administrator token at {@link #NOW}. */
    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .issuer(TokenFixtures.ISSUER)
                .audience(TokenFixtures.AUDIENCE)
                .subject(UUID.randomUUID().toString())
                .issueTime(Date.from(NOW))
                .notBeforeTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plus(TokenFixtures.ACCESS_TTL)))
                .jwtID(UUID.randomUUID().toString())
                .claim(AccessTokens.SESSION_ID, UUID.randomUUID().toString())
                .claim(AccessTokens.ROLES, List.of("admin"))
                .claim(AccessTokens.PERMISSIONS, List.of("*:*"));
    }

    private static JWSHeader.Builder rs256() {
        return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keys.keyId()).type(JOSEObjectType.JWT);
    }

    private static String ours(JWTClaimsSet claims) {
        return TokenFixtures.signedWithOurKey(keys, claims);
    }

    private static void rejected(String token) {
        assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(JwtException.class);
    }

    private static void accepted(String token) {
        assertThat(tokens.verify(token).getSubject()).isNotBlank();
    }

    private static String base64url(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Test
    void aWellFormedTokenSignedWithOurKeyVerifies() {
        accepted(ours(claims().build()));
    }

    @Test
    void anUnsignedTokenIsRejected() {
        rejected(new PlainJWT(claims().build()).serialize());
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
    void anAlgorithmOfNoneInAnySpellingIsRejected(String alg) {
        String header = base64url("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\",\"kid\":\"" + keys.keyId() + "\"}");
        String payload = base64url(claims().build().toString());
        rejected(header + "." + payload + ".");
        // with a signature segment taken from a genuine token
        String genuineSignature = ours(claims().build()).split("\\.")[2];
        rejected(header + "." + payload + "." + genuineSignature);
    }

    @Test
    void anHs256TokenKeyedWithOurPublicKeyIsRejected() throws JOSEException {
        JWSHeader hs256 = new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keys.keyId()).type(JOSEObjectType.JWT)
                                                                  .build();
        byte[] der = keys.signingKey().toRSAPublicKey().getEncoded();
        rejected(TokenFixtures.signed(hs256, claims().build(), new MACSigner(der)));
        byte[] pem = JwtKeys.pem("PUBLIC KEY", der).getBytes(StandardCharsets.US_ASCII);
        rejected(TokenFixtures.signed(hs256, claims().build(), new MACSigner(pem)));
        byte[] jwks = keys.publicKeys().toString().getBytes(StandardCharsets.UTF_8);
        rejected(TokenFixtures.signed(hs256, claims().build(), new MACSigner(jwks)));
    }

    @Test
    void aTokenSignedWithAnotherKeyUnderAnUnknownKidIsRejected() throws JOSEException {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(attackerKey.getKeyID())
                                                                    .type(JOSEObjectType.JWT).build();
        rejected(TokenFixtures.signed(header, claims().build(), new RSASSASigner(attackerKey)));
    }

    @Test
    void aTokenSignedWithAnotherKeyUnderOurKidIsRejected() throws JOSEException {
        rejected(TokenFixtures.signed(rs256().build(), claims().build(), new RSASSASigner(attackerKey)));
        // also when the header carries the attacker's public key for the verifier to trust
        JWSHeader embedded = rs256().jwk(attackerKey.toPublicJWK()).build();
        rejected(TokenFixtures.signed(embedded, claims().build(), new RSASSASigner(attackerKey)));
    }

    @Test
    void aTokenWithoutAKidIsRejected() throws JOSEException {
        JWSHeader noKid = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build();
        rejected(TokenFixtures.signed(noKid, claims().build(), new RSASSASigner(keys.signingKey())));
    }

    @Test
    void aTokenOfAnotherTypeIsRejected() throws JOSEException {
        JWSHeader other = rs256().type(new JOSEObjectType("at+jwt")).build();
        rejected(TokenFixtures.signed(other, claims().build(), new RSASSASigner(keys.signingKey())));
    }

    @Test
    void aTokenExpiredMoreThanTheClockSkewAgoIsRejected() {
        rejected(ours(claims().issueTime(Date.from(NOW.minusSeconds(931)))
                              .notBeforeTime(Date.from(NOW.minusSeconds(931)))
                              .expirationTime(Date.from(NOW.minusSeconds(31))).build()));
        // within the skew: the issuing node's clock may run a little ahead of ours
        accepted(ours(claims().issueTime(Date.from(NOW.minusSeconds(929)))
                              .notBeforeTime(Date.from(NOW.minusSeconds(929)))
                              .expirationTime(Date.from(NOW.minusSeconds(29))).build()));
    }

    @Test
    void aTokenNotValidYetIsRejected() {
        rejected(ours(claims().notBeforeTime(Date.from(NOW.plusSeconds(60))).build()));
        accepted(ours(claims().notBeforeTime(Date.from(NOW.plusSeconds(29))).build()));
    }

    @Test
    void aTokenOfAnotherIssuerIsRejected() {
        rejected(ours(claims().issuer("https://evil.example.com").build()));
        rejected(ours(claims().issuer(null).build()));
    }

    @Test
    void aTokenForAnotherAudienceIsRejected() {
        rejected(ours(claims().audience("another-api").build()));
        rejected(ours(claims().audience(List.of("another-api", "mcp-platform-api-x")).build()));
        rejected(ours(claims().audience((String) null).build()));
        // several audiences are fine as long as ours is one of them
        accepted(ours(claims().audience(List.of("another-api", TokenFixtures.AUDIENCE)).build()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sub", "exp", "iat", "jti", "sid"})
    void aTokenWithoutARequiredClaimIsRejected(String claim) {
        rejected(ours(claims().claim(claim, null).build()));
    }

    @Test
    void everySingleFlippedBitOfTheSignatureIsRejected() {
        String[] parts = ours(claims().build()).split("\\.");
        byte[] signature = new Base64URL(parts[2]).decode();
        for (int bit = 0; bit < signature.length * 8; bit++) {
            byte[] flipped = signature.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            rejected(parts[0] + "." + parts[1] + "." + Base64URL.encode(flipped));
        }
    }

    @Test
    void aHugeTokenIsRejectedBeforeParsingEvenWhenCorrectlySigned() {
        String huge = ours(claims().claim("padding", "x".repeat(100 * 1024)).build());
        assertThat(huge.length()).isGreaterThan(100 * 1024);
        rejected(huge);
        // the limit is about length alone: a large but legitimate token still verifies
        String large = ours(claims().claim("padding", "x".repeat(5 * 1024)).build());
        assertThat(large.length()).isLessThanOrEqualTo(AccessTokens.MAX_TOKEN_LENGTH);
        accepted(large);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "Bearer", "a.b.c", "not-a-token", "eyJhbGciOiJSUzI1NiJ9", "..", "e30.e30.e30"})
    void garbageIsRejected(String token) {
        rejected(token);
    }

    @Test
    void noTokenIsRejected() {
        rejected(null);
    }
}
