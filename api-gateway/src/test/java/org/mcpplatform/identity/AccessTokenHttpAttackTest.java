package org.mcpplatform.identity;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mcpplatform.support.Accounts;
import org.mcpplatform.support.Accounts.Account;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

/**
 * The attack list of the identity issue, over HTTP against the running platform: every forged, altered or stale
 * token is answered 401. Each forgery starts from a token that works (the first test shows it does) and changes one
 * thing: it belongs to a real user with a live login session, so only the change can make it fail.
 */
@PlatformTest
class AccessTokenHttpAttackTest {

    @LocalServerPort
    int port;

    @Autowired
    JwtKeys keys;

    @Autowired
    TokenProperties properties;

    Account account;
    String sessionId;

    @BeforeEach
    void login() {
        account = Accounts.create(port, "developer");
        sessionId = (String) parse(account.accessToken()).getClaim(AccessTokens.SESSION_ID);
    }

    private static JWTClaimsSet parse(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(properties.issuer())
                .audience(properties.audience())
                .subject(account.id())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)))
                .jwtID(UUID.randomUUID().toString())
                .claim(AccessTokens.USERNAME, account.username())
                .claim(AccessTokens.SESSION_ID, sessionId)
                .claim(AccessTokens.ROLES, List.of("developer"))
                .claim(AccessTokens.PERMISSIONS, List.of("mcps:*", "knowledge:*", "deployments:read"));
    }

    private JWSHeader.Builder rs256() {
        return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keys.keyId()).type(JOSEObjectType.JWT);
    }

    private String ours(JWTClaimsSet claims) {
        return TokenFixtures.signedWithOurKey(keys, claims);
    }

    private int statusWith(String token) {
        return Api.anonymous(port).get("/api/v1/mcps", "Authorization", "Bearer " + token).status();
    }

    private void rejected(String token) {
        Api.Response response = Api.anonymous(port).get("/api/v1/mcps", "Authorization", "Bearer " + token);
        assertThat(response.status()).as(response.text()).isEqualTo(401);
        assertThat(response.json().at("/error/code").asText()).isEqualTo("UNAUTHORIZED");
    }

    private static String base64url(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Test
    void theUnalteredForgeryBaseIsAccepted() {
        assertThat(statusWith(ours(claims().build()))).isEqualTo(200);
        assertThat(statusWith(account.accessToken())).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "NONE"})
    void algNoneIsRejected(String alg) {
        String header = base64url("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\",\"kid\":\"" + keys.keyId() + "\"}");
        String payload = base64url(claims().build().toString());
        rejected(header + "." + payload + ".");
        String validSignature = ours(claims().build()).split("\\.")[2];
        rejected(header + "." + payload + "." + validSignature);
    }

    @Test
    void hs256SignedWithThePublicKeyAsTheHmacSecretIsRejected() throws Exception {
        byte[] der = keys.signingKey().toRSAPublicKey().getEncoded();
        JWSHeader hs256 = new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keys.keyId()).type(JOSEObjectType.JWT)
                                                                   .build();
        rejected(TokenFixtures.signed(hs256, claims().build(), new MACSigner(der)));
        String pem = JwtKeys.pem("PUBLIC KEY", der);
        rejected(TokenFixtures.signed(hs256, claims().build(), new MACSigner(pem.getBytes(StandardCharsets.UTF_8))));
        String jwks = keys.publicKeys().toString();
        rejected(TokenFixtures.signed(hs256, claims().build(), new MACSigner(jwks.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void anUnknownKidIsRejected() throws Exception {
        var attacker = new RSAKeyGenerator(2048).keyID("attacker-key").generate();
        rejected(TokenFixtures.signed(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker-key").type(JOSEObjectType.JWT)
                                                                 .build(),
                        claims().build(), new RSASSASigner(attacker)));
        rejected(TokenFixtures.signed(rs256().build(), claims().build(), new RSASSASigner(attacker)));
        rejected(TokenFixtures.signed(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("unknown-" + keys.keyId())
                                                                 .type(JOSEObjectType.JWT).build(),
                        claims().build(), new RSASSASigner(keys.signingKey())));
    }

    @Test
    void anExpiryMoreThan30SecondsPastIsRejected() {
        Instant now = Instant.now();
        rejected(ours(claims().issueTime(Date.from(now.minusSeconds(960)))
                              .notBeforeTime(Date.from(now.minusSeconds(960)))
                              .expirationTime(Date.from(now.minusSeconds(45))).build()));
        assertThat(statusWith(ours(claims().expirationTime(Date.from(now.plusSeconds(5))).build())))
                .as("a token that has not expired yet").isEqualTo(200);
    }

    @Test
    void aNotBeforeInTheFutureIsRejected() {
        rejected(ours(claims().notBeforeTime(Date.from(Instant.now().plusSeconds(120))).build()));
    }

    @Test
    void aWrongIssuerOrAudienceIsRejected() {
        rejected(ours(claims().issuer("https://evil.example.com").build()));
        rejected(ours(claims().audience("another-api").build()));
        rejected(ours(claims().audience(List.of()).build()));
    }

    @Test
    void oneFlippedSignatureBitIsRejected() {
        String token = ours(claims().build());
        String[] parts = token.split("\\.");
        byte[] signature = Base64URL.from(parts[2]).decode();
        for (int bit : new int[]{0, 7, signature.length * 8 / 2, signature.length * 8 - 1}) {
            byte[] flipped = signature.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            rejected(parts[0] + "." + parts[1] + "." + Base64URL.encode(flipped));
        }
    }

    @Test
    void aHundredKilobyteHeaderIsRejected() {
        rejected("x".repeat(100 * 1024));
        // a token of ours, validly signed, 100 KB long (a 75 KB claim grows by a third in base64url)
        String big = ours(claims().claim("padding", "p".repeat(75 * 1024)).build());
        assertThat(big.length()).isBetween(100 * 1024, 110 * 1024);
        rejected(big);
    }

    @Test
    void aTokenOfAnEndedSessionOrAnotherSubjectIsRejected() {
        rejected(ours(claims().claim(AccessTokens.SESSION_ID, UUID.randomUUID().toString()).build()));
        rejected(ours(claims().subject(UUID.randomUUID().toString()).build()));
    }

    @Test
    void expiredTokensAreRejected() {
        // Property 22: Expired Token Rejection — for any JWT token past its expiry time (beyond the 30 s clock
        // skew), accessing protected endpoints returns HTTP 401.
        qt().withExamples(100)
            .forAll(integers().between(31, 30 * 24 * 3600), integers().between(1, 3600))
            .checkAssert((secondsPast, lifetime) -> {
                Instant expiry = Instant.now().minusSeconds(secondsPast);
                String token = ours(claims().issueTime(Date.from(expiry.minusSeconds(lifetime)))
                                            .notBeforeTime(Date.from(expiry.minusSeconds(lifetime)))
                                            .expirationTime(Date.from(expiry)).build());
                assertThat(statusWith(token)).isEqualTo(401);
            });
    }
}
