package org.mcpplatform.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.mcpplatform.identity.ApiKeyCredential;
import org.mcpplatform.identity.ApiKeyCredentials;
import org.mcpplatform.identity.UserCredential;
import org.mcpplatform.identity.UserCredentials;

import java.time.Duration;
import java.util.Optional;

/**
 * What authentication reads on every request: users (role, active) and API keys (hash, expiry, revocation) from the
 * command side's credential store, which changes before the events that announce a change are stored. Each node keeps
 * what it read for at most {@code ttl} (under a second), so a revocation, a deactivation or a role change reaches every
 * node within that time without a store read per request.
 */
public class CredentialDirectory {

    private static final long MAX_ENTRIES = 100_000;

    private final UserCredentials users;
    private final ApiKeyCredentials apiKeys;
    private final Cache<String, Optional<UserCredential>> userCache;
    private final Cache<String, Optional<ApiKeyCredential>> apiKeyCache;

    public CredentialDirectory(UserCredentials users, ApiKeyCredentials apiKeys, Duration ttl) {
        this.users = users;
        this.apiKeys = apiKeys;
        this.userCache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(MAX_ENTRIES).build();
        this.apiKeyCache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(MAX_ENTRIES).build();
    }

    /** The user if it exists and is active. */
    public Optional<UserCredential> activeUser(String userId) {
        return userCache.get(userId, users::findById).filter(UserCredential::active);
    }

    public Optional<ApiKeyCredential> apiKey(String keyId) {
        return apiKeyCache.get(keyId, apiKeys::find);
    }

    /** Forgets what this node read, after this node changed it (the other nodes catch up within the TTL). */
    public void forgetUser(String userId) {
        userCache.invalidate(userId);
    }

    public void forgetApiKey(String keyId) {
        apiKeyCache.invalidate(keyId);
    }
}
