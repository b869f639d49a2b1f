package org.mcpplatform.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Issues and verifies the platform's access tokens: RS256 JWTs, signed with {@link JwtKeys}, that say who the caller
 * is (sub, preferred_username), what they may do (roles, permissions) and which login session they belong to (sid),
 * so that a request needs no lookup of the user. A token outlives a logout or a role change by at most its lifetime;
 * the session check on each request ({@link SessionStore#isActive}) closes the logout half of that gap.
 * <p>
 * Verification accepts exactly what {@link #issue} produces: RS256 with one of our key ids, typ JWT, our issuer
 * and audience, sub/exp/iat/jti/sid present, and exp/nbf within the configured clock skew.
 */
@Component
public class AccessTokens {

    public static final String USERNAME = "preferred_username";
    public static final String ROLES = "roles";
    public static final String PERMISSIONS = "permissions";
    public static final String SESSION_ID = "sid";

    /**
     * Our tokens are well under 1 KB; anything this long is not ours, and refusing it before parsing keeps a hostile
     * header from costing base64 and JSON work.
     */
    public static final int MAX_TOKEN_LENGTH = 8 * 1024;

    private static final List<String> REQUIRED_CLAIMS = List.of(
            JwtClaimNames.SUB, JwtClaimNames.EXP, JwtClaimNames.IAT, JwtClaimNames.JTI, SESSION_ID);

    private static final int VERIFIED_TOKENS = 20_000;

    private final TokenProperties properties;
    private final Clock clock;
    private final String keyId;
    private final NimbusJwtEncoder encoder;
    private final NimbusJwtDecoder decoder;
    /**
     * Tokens already verified, by their exact text: a client sends the same token for up to 15 minutes, and parsing,
     * checking the signature and converting the claims again cost as much CPU as the rest of a read. Only a token that
     * passed every check is kept; a hit checks the expiry again.
     */
    private final Cache<String, Jwt> verified = Caffeine.newBuilder()
                                                        .maximumSize(VERIFIED_TOKENS)
                                                        .expireAfterWrite(Duration.ofMinutes(1))
                                                        .build();

    @Autowired
    public AccessTokens(JwtKeys keys, TokenProperties properties) {
        this(keys, properties, Clock.systemUTC());
    }

    public AccessTokens(JwtKeys keys, TokenProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        this.keyId = keys.keyId();
        this.encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(keys.signingKey())));
        this.decoder = decoder(keys.publicKeys(), properties, clock);
    }

    /**
     * A new access token for a user in a login session.
     *
     * @param sessionId the session from {@link SessionStore#start} or {@link SessionStore#rotate}: required, because a
     *                  token that names no session could not be ended by a logout
     */
    public IssuedToken issue(String userId, String username, Role role, String sessionId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(sessionId, "sessionId");
        // JWT times are whole seconds: the expiry we report must be the one in the token
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(properties.accessTokenTtl());
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                                                  .issuer(properties.issuer())
                                                  .audience(List.of(properties.audience()))
                                                  .subject(userId)
                                                  .issuedAt(now)
                                                  .notBefore(now)
                                                  .expiresAt(expiresAt)
                                                  .id(UUID.randomUUID().toString())
                                                  .claim(ROLES, List.of(role.value()))
                                                  .claim(PERMISSIONS, RolePermissions.of(role))
                                                  .claim(SESSION_ID, sessionId);
        if (username != null) {
            claims.claim(USERNAME, username);
        }
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).keyId(keyId).type("JWT").build();
        String value = encoder.encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue();
        return new IssuedToken(value, expiresAt, properties.accessTokenTtl().toSeconds());
    }

    /**
     * The verified token; read the caller from {@link Jwt#getSubject()}, {@link #USERNAME}, {@link #ROLES},
     * {@link #PERMISSIONS} and {@link #SESSION_ID}.
     *
     * @throws JwtException (a {@link BadJwtException} or {@code JwtValidationException} for tokens that are not
     *                      ours or no longer valid) on any problem: answer 401
     */
    public Jwt verify(String token) {
        if (token == null || token.isEmpty()) {
            throw new BadJwtException("No token");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new BadJwtException("Token longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        Jwt known = verified.getIfPresent(token);
        if (known != null) {
            if (known.getExpiresAt().plus(properties.clockSkew()).isAfter(clock.instant())) {
                return known;
            }
            verified.invalidate(token);
        }
        Jwt jwt = decoder.decode(token);
        verified.put(token, jwt);
        return jwt;
    }

    private static NimbusJwtDecoder decoder(JWKSet publicKeys, TokenProperties properties, Clock clock) {
        JWKSource<SecurityContext> keySource = new ImmutableJWKSet<>(publicKeys);
        JWSVerificationKeySelector<SecurityContext> rs256 = new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                                                                                              keySource);
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        // RS256 only, so "none" and HS256-with-our-public-key fail before any signature check; and a kid is
        // required, because without one the selector would offer every key we have
        processor.setJWSKeySelector((header, context) -> header.getKeyID() == null
                ? List.of()
                : rs256.selectJWSKeys(header, context));
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
        // Only presence is checked here, on the claims as sent: Spring's claim conversion invents an iat from exp
        // when there is none. The times are checked by the validators below with our skew (Nimbus would allow 60 s).
        processor.setJWTClaimsSetVerifier((claims, context) -> {
            for (String claim : REQUIRED_CLAIMS) {
                if (claims.getClaim(claim) == null) {
                    throw new BadJWTException("Missing required claim " + claim);
                }
            }
        });

        JwtTimestampValidator timestamps = new JwtTimestampValidator(properties.clockSkew());
        timestamps.setClock(clock);
        List<OAuth2TokenValidator<Jwt>> validators = List.of(
                timestamps,
                new JwtIssuerValidator(properties.issuer()),
                new JwtAudienceValidator(properties.audience()));
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(validators));
        return decoder;
    }
}
