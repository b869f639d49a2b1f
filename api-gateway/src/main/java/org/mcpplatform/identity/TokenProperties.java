package org.mcpplatform.identity;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/**
 * Access tokens, refresh tokens and login sessions ({@code mcp.tokens.*}, a section of
 * {@link org.mcpplatform.configuration.ApiGatewayProperties}).
 *
 * @param issuer            the {@code iss} of every access token, and the only one accepted
 * @param audience          the {@code aud} of every access token, and the one an accepted token must contain
 * @param accessTokenTtl    lifetime of an access token (the seed's 15 minutes)
 * @param refreshTokenTtl   lifetime of a refresh token and of its session; each refresh starts it again
 * @param clockSkew         tolerance for clocks of nodes that disagree, when checking exp and nbf; at most 30 s
 *                          so that an expired token cannot live on much longer
 * @param privateKeyPem     the RSA signing key as PEM text (PKCS#8 or PKCS#1), {@code MCP_JWT_PRIVATE_KEY}
 * @param publicKeyPem      its public key as PEM text (X.509 SubjectPublicKeyInfo or PKCS#1), {@code MCP_JWT_PUBLIC_KEY}
 * @param privateKeyFile    a file holding the private key PEM instead, {@code MCP_JWT_PRIVATE_KEY_FILE}
 * @param publicKeyFile     a file holding the public key PEM instead, {@code MCP_JWT_PUBLIC_KEY_FILE}
 * @param dataDir           where the key pair is generated and kept when none is configured ({@code jwt/} under it)
 * @param sessionCheckCache how long a node may trust that a session it saw in Redis is still active: the upper
 *                          bound for a logout on one node to reach the others
 */
public record TokenProperties(@NotBlank String issuer,
                              @NotBlank String audience,
                              @NotNull @DurationMin(seconds = 1) @DurationMax(hours = 24) Duration accessTokenTtl,
                              @NotNull @DurationMin(seconds = 1) Duration refreshTokenTtl,
                              @NotNull @DurationMin(millis = 0) @DurationMax(seconds = 30) Duration clockSkew,
                              String privateKeyPem,
                              String publicKeyPem,
                              String privateKeyFile,
                              String publicKeyFile,
                              @NotBlank String dataDir,
                              @NotNull @DurationMin(millis = 0) @DurationMax(seconds = 1) Duration sessionCheckCache) {
}
