package org.mcpplatform.identity;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/** /.well-known/jwks.json publishes exactly the public half of the signing key, for other verifiers. */
class AccessTokenJwksTest {

    @TempDir
    static Path dataDir;

    static JwtKeys keys;
    static MockMvc mvc;

    @BeforeAll
    static void keys() {
        keys = new JwtKeys(TokenFixtures.properties(dataDir));
        mvc = MockMvcBuilders.standaloneSetup(new JwksController(keys)).build();
    }

    private static MockHttpServletResponse fetch() throws Exception {
        return mvc.perform(get(JwksController.PATH)).andReturn().getResponse();
    }

    @Test
    void theSetHoldsThePublicSigningKeyAndNoPrivatePart() throws Exception {
        MockHttpServletResponse response = fetch();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentType()).startsWith("application/json");
        JWKSet set = JWKSet.parse(response.getContentAsString());
        assertThat(set.getKeys()).hasSize(1);
        JWK key = set.getKeys().get(0);
        assertThat(key.getKeyID()).isEqualTo(keys.keyId());
        assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(key.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
        assertThat(key.isPrivate()).isFalse();
        assertThat(response.getContentAsString()).doesNotContain("\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"",
                                                                 "\"qi\"");
    }

    @Test
    void theSetMayBeCachedPubliclyForFiveMinutes() throws Exception {
        assertThat(fetch().getHeader("Cache-Control")).contains("public").contains("max-age=300");
    }

    @Test
    void anOutsideVerifierWithOnlyThePublishedSetAcceptsOurTokens() throws Exception {
        JWKSet published = JWKSet.parse(fetch().getContentAsString());
        NimbusJwtDecoder outside = NimbusJwtDecoder.withPublicKey(published.getKeys().get(0).toRSAKey()
                                                                           .toRSAPublicKey()).build();

        IssuedToken issued = new AccessTokens(keys, TokenFixtures.properties(dataDir))
                .issue("user-7", "grace", Role.VIEWER, "session-7");

        assertThat(outside.decode(issued.value()).getSubject()).isEqualTo("user-7");
    }
}
