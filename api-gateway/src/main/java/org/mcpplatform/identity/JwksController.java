package org.mcpplatform.identity;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.util.Map;

/**
 * The public keys that verify our access tokens (RFC 7517 JWK set), for services that check tokens themselves.
 * Public and cacheable for five minutes: the keys change only when an operator replaces them, and a verifier that
 * meets an unknown kid fetches the set again.
 */
@RestController
public class JwksController {

    public static final String PATH = "/.well-known/jwks.json";
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final Map<String, Object> jwks;

    public JwksController(JwtKeys keys) {
        this.jwks = keys.publicKeys().toJSONObject(true);
    }

    @GetMapping(value = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> jwks() {
        return ResponseEntity.ok().cacheControl(CacheControl.maxAge(MAX_AGE).cachePublic()).body(jwks);
    }
}
