package org.mcpplatform.identity;

import com.nimbusds.jose.jwk.JWKSet;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** In the running platform: the settings from application.yml, the Redis session store, the JWKS over HTTP. */
@PlatformTest
class AccessTokenWiringTest {

    @LocalServerPort
    int port;
    @Autowired
    TokenProperties properties;
    @Autowired
    JwtKeys keys;
    @Autowired
    AccessTokens tokens;
    @Autowired
    SessionStore sessions;

    @Test
    void theDefaultsAreTheSeeds() {
        assertThat(properties.issuer()).isEqualTo("mcp-platform");
        assertThat(properties.audience()).isEqualTo("mcp-platform-api");
        assertThat(properties.accessTokenTtl()).isEqualTo(Duration.ofMinutes(15));
        assertThat(properties.refreshTokenTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(properties.clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.sessionCheckCache()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void withRedisConfiguredSessionsLiveInRedis() {
        assertThat(sessions).isInstanceOf(RedisSessionStore.class);
    }

    @Test
    void aLoginsTokensWorkTogether() {
        NewSession session = sessions.start("user-1");
        IssuedToken token = tokens.issue("user-1", "alice", Role.ADMIN, session.sessionId());

        String sessionId = tokens.verify(token.value()).getClaimAsString(AccessTokens.SESSION_ID);

        assertThat(sessions.isActive(sessionId)).isTrue();
        sessions.end(session.refreshToken());
        assertThat(sessions.isActive(sessionId)).isFalse();
    }

    @Test
    void theKeySetIsServedOverHttpAndPubliclyCacheable() throws Exception {
        Api.Response response = new Api(port).get(JwksController.PATH);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).contains("public").contains("max-age=300");
        assertThat(JWKSet.parse(response.text()).getKeyByKeyId(keys.keyId())).isNotNull();
    }
}
