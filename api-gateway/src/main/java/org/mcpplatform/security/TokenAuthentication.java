package org.mcpplatform.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.mcpplatform.gateway.GatewayUrls;
import org.mcpplatform.identity.AccessTokens;
import org.mcpplatform.identity.ApiKeyCredential;
import org.mcpplatform.identity.ApiKeyFormat;
import org.mcpplatform.identity.ApiKeyUse;
import org.mcpplatform.identity.SessionStore;
import org.mcpplatform.identity.SessionStoreUnavailableException;
import org.mcpplatform.identity.UserCredential;
import org.mcpplatform.ratelimit.AuthFailureLimiter;
import org.mcpplatform.ratelimit.ClientAddress;
import org.mcpplatform.ratelimit.RateLimitExceededException;
import org.mcpplatform.ratelimit.TooManyRequests;
import org.mcpplatform.web.ErrorResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Authenticates a request by its access token ({@code Authorization: Bearer <jwt>}) or API key
 * ({@code Authorization: Bearer mcp_...} or {@code X-API-Key}). A request without credentials passes on
 * unauthenticated (the authorization rules then answer 401 unless the endpoint is public); a request with bad
 * credentials is answered 401 here, whatever the endpoint.
 * <p>
 * The role is the user's current one from the credential store, not the one in the token: a demotion or a
 * deactivation takes effect within the directory's cache time, not when the token expires. An access token is also
 * bound to its login session, so logging out ends it too.
 */
public class TokenAuthentication extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(TokenAuthentication.class);
    private static final String BEARER = "Bearer ";
    public static final String API_KEY_HEADER = "X-API-Key";
    /** Request attribute: the {@link java.time.Instant} the request's access token expires (absent for API keys). */
    public static final String CREDENTIAL_EXPIRES_AT = "mcp.credential-expires-at";

    private final AccessTokens accessTokens;
    private final SessionStore sessions;
    private final CredentialDirectory directory;
    private final ApiKeyUse apiKeyUse;
    private final AuthFailureLimiter failures;
    private final ErrorResponses errors;
    private final TooManyRequests tooManyRequests;
    private final Clock clock;
    private final GatewayUrls gatewayUrls;
    private final AtomicBoolean sessionStoreUnreachable = new AtomicBoolean();

    public TokenAuthentication(AccessTokens accessTokens, SessionStore sessions, CredentialDirectory directory,
                               ApiKeyUse apiKeyUse, AuthFailureLimiter failures, ErrorResponses errors,
                               TooManyRequests tooManyRequests, Clock clock, GatewayUrls gatewayUrls) {
        this.accessTokens = accessTokens;
        this.sessions = sessions;
        this.directory = directory;
        this.apiKeyUse = apiKeyUse;
        this.failures = failures;
        this.errors = errors;
        this.tooManyRequests = tooManyRequests;
        this.clock = clock;
        this.gatewayUrls = gatewayUrls;
    }

    /** Public endpoints ignore credentials: a stale token must not stop a login or a health check. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return SecurityConfiguration.isPublic(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        String apiKeyHeader = request.getHeader(API_KEY_HEADER);
        if (authorization == null && apiKeyHeader == null) {
            chain.doFilter(request, response);
            return;
        }
        String credential;
        if (authorization == null) {
            credential = apiKeyHeader.strip();
        } else if (authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            credential = authorization.substring(BEARER.length()).strip();
        } else {
            reject(request, response, "Only Bearer credentials are accepted");
            return;
        }
        boolean apiKey = authorization == null || ApiKeyFormat.looksLikeKey(credential);
        if (apiKey && blocked(request, response)) {
            return;
        }
        Optional<PlatformUser> user = apiKey ? byApiKey(credential, request) : byAccessToken(credential, request);
        if (user.isEmpty()) {
            reject(request, response, "The access token or API key is invalid, expired or revoked");
            return;
        }
        var authentication = UsernamePasswordAuthenticationToken.authenticated(
                user.get(), null, List.of(new SimpleGrantedAuthority("ROLE_" + user.get().role().name())));
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    /** A credential checked outside the HTTP filter chain; {@code expiresAt} is null for API keys. */
    public record Verified(PlatformUser user, java.time.Instant expiresAt) {
    }

    /**
     * Authenticates an access token or API key presented elsewhere than in an HTTP request's headers (the WebSocket's
     * subprotocol or first message), with the same checks and the same limits on guessing keys.
     */
    public Optional<Verified> verify(String credential, String clientAddress) {
        if (credential == null || credential.isBlank()) {
            return Optional.empty();
        }
        String presented = credential.strip();
        if (ApiKeyFormat.looksLikeKey(presented)) {
            if (failures.blockedFor(null, clientAddress).isPresent()) {
                return Optional.empty();
            }
            Optional<PlatformUser> user = ApiKeyFormat.keyId(presented)
                    .flatMap(directory::apiKey)
                    .filter(key -> ApiKeyFormat.matches(presented, key.secretHash()))
                    .filter(this::usable)
                    .flatMap(key -> directory.activeUser(key.userId()).map(owner -> principal(owner, key)));
            if (user.isEmpty()) {
                failures.recordFailure(null, clientAddress);
            } else {
                apiKeyUse.record(user.get().apiKeyId(), clock.instant());
            }
            return user.map(found -> new Verified(found, null));
        }
        Jwt jwt;
        try {
            jwt = accessTokens.verify(presented);
        } catch (JwtException e) {
            return Optional.empty();
        }
        String sessionId = jwt.getClaimAsString(AccessTokens.SESSION_ID);
        if (sessionId == null || !sessionActive(sessionId)) {
            return Optional.empty();
        }
        return directory.activeUser(jwt.getSubject())
                        .map(user -> new Verified(new PlatformUser(user.userId(), user.username(), user.role(),
                                                                   sessionId, null), jwt.getExpiresAt()));
    }

    /**
     * The user as they are now (current role), if the credential they authenticated with still holds: the login
     * session is alive, or the API key is neither revoked nor expired; and the account is active.
     */
    public Optional<PlatformUser> current(PlatformUser user) {
        if (user.apiKeyId() != null) {
            return directory.apiKey(user.apiKeyId())
                            .filter(this::usable)
                            .flatMap(key -> directory.activeUser(key.userId()).map(owner -> principal(owner, key)));
        }
        if (user.sessionId() == null || !sessionActive(user.sessionId())) {
            return Optional.empty();
        }
        return directory.activeUser(user.id())
                        .map(now -> new PlatformUser(now.userId(), now.username(), now.role(), user.sessionId(),
                                                     null));
    }

    private Optional<PlatformUser> byAccessToken(String token, HttpServletRequest request) {
        Jwt jwt;
        try {
            jwt = accessTokens.verify(token);
        } catch (JwtException e) {
            log.debug("Access token refused: {}", e.getMessage());
            return Optional.empty();
        }
        // long-lived answers (SSE streams) end when the token does
        request.setAttribute(CREDENTIAL_EXPIRES_AT, jwt.getExpiresAt());
        String sessionId = jwt.getClaimAsString(AccessTokens.SESSION_ID);
        if (sessionId == null || !sessionActive(sessionId)) {
            return Optional.empty();
        }
        return directory.activeUser(jwt.getSubject())
                        .map(user -> new PlatformUser(user.userId(), user.username(), user.role(), sessionId, null));
    }

    /**
     * Whether the login session is still alive. While the session store (Redis) cannot be reached, a token whose
     * signature, expiry and user (still active, current role) check out is accepted: reads keep working through a
     * Redis outage (seed Property 32), and what is lost is only that a logout made just before or during the outage is
     * not seen until the token expires (15 minutes at most). Logins and refreshes do fail meanwhile (503).
     */
    private boolean sessionActive(String sessionId) {
        try {
            boolean active = sessions.isActive(sessionId);
            if (sessionStoreUnreachable.compareAndSet(true, false)) {
                log.info("The session store answers again: logouts are enforced on every request again");
            }
            return active;
        } catch (SessionStoreUnavailableException e) {
            if (sessionStoreUnreachable.compareAndSet(false, true)) {
                log.warn("The session store cannot be reached ({}): access tokens are checked without their "
                                 + "session until it answers", e.getMessage());
            }
            return true;
        }
    }

    private Optional<PlatformUser> byApiKey(String key, HttpServletRequest request) {
        Optional<PlatformUser> user = ApiKeyFormat.keyId(key)
                .flatMap(directory::apiKey)
                .filter(credential -> ApiKeyFormat.matches(key, credential.secretHash()))
                .filter(this::usable)
                .flatMap(credential -> directory.activeUser(credential.userId())
                        .map(owner -> principal(owner, credential)));
        if (user.isEmpty()) {
            failures.recordFailure(null, ClientAddress.of(request));
        } else {
            apiKeyUse.record(user.get().apiKeyId(), clock.instant());
        }
        return user;
    }

    private boolean usable(ApiKeyCredential key) {
        return key.revokedAt() == null && (key.expiresAt() == null || key.expiresAt().isAfter(clock.instant()));
    }

    private static PlatformUser principal(UserCredential owner, ApiKeyCredential key) {
        return new PlatformUser(owner.userId(), owner.username(), owner.role(), null, key.keyId());
    }

    /** Guessing keys is limited per client address; a blocked address gets 429 before its key is looked at. */
    private boolean blocked(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            failures.checkNotBlocked(null, ClientAddress.of(request));
            return false;
        } catch (RateLimitExceededException refusal) {
            tooManyRequests.write(request, response, refusal);
            return true;
        }
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, String message) throws IOException {
        String challenge = gatewayUrls.challenge(request, "invalid_token");
        // at /mcp/{slug} the challenge also points MCP clients to the RFC 9728 metadata
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
                           challenge == null ? "Bearer error=\"invalid_token\"" : challenge);
        errors.write(request, response, HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", message, Map.of());
    }
}
