package org.mcpplatform.identity;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.queryhandling.QueryGateway;
import org.mcpplatform.common.NotFoundException;
import org.mcpplatform.common.ValidationException;
import org.mcpplatform.common.Violation;
import org.mcpplatform.security.CredentialDirectory;
import org.mcpplatform.security.PlatformUser;
import org.mcpplatform.web.Commands;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A user's API keys. The key itself is in the response that creates it and nowhere else: the platform keeps only its
 * hash, in the credential store, never in an event.
 */
@RestController
@RequestMapping("/api/v1/auth/api-keys")
@Tag(name = "API keys", description = "Keys for programs: Authorization: Bearer <key> or X-API-Key: <key>")
public class ApiKeyController {

    private static final int MAX_NAME = 100;

    private final Commands commands;
    private final QueryGateway queries;
    private final CredentialDirectory directory;
    private final ApiKeyCredentials credentials;
    private final ApiKeyUse use;
    private final Clock clock = Clock.systemUTC();

    public ApiKeyController(Commands commands, QueryGateway queries, CredentialDirectory directory,
                            ApiKeyCredentials credentials, ApiKeyUse use) {
        this.commands = commands;
        this.queries = queries;
        this.directory = directory;
        this.credentials = credentials;
        this.use = use;
    }

    public record NewApiKeyRequest(String name, String expiresAt) {
    }

    public record NewApiKey(String id, String name, String key, String prefix, Instant expiresAt, Instant createdAt) {
        @Override
        public String toString() {
            return "NewApiKey[id=" + id + ", name=" + name + ", key=***, prefix=" + prefix + "]";
        }
    }

    public record ApiKeyResponse(String id, String name, String prefix, Instant expiresAt, Instant createdAt,
                                 Instant revokedAt, Instant lastUsedAt) {
    }

    @PostMapping
    @Operation(summary = "Create an API key", description = "201 with the key: it is shown this once only")
    public ResponseEntity<NewApiKey> create(@AuthenticationPrincipal PlatformUser user,
                                            @RequestBody NewApiKeyRequest body) {
        if (body == null) {
            throw new ValidationException(List.of(new Violation("body", "must be a JSON object")));
        }
        List<Violation> violations = new ArrayList<>();
        if (body.name() == null || body.name().isBlank()) {
            violations.add(new Violation("name", "is required"));
        } else if (body.name().length() > MAX_NAME) {
            violations.add(new Violation("name", "must be at most " + MAX_NAME + " characters"));
        }
        Instant now = clock.instant();
        Instant expiresAt = null;
        if (body.expiresAt() != null) {
            try {
                expiresAt = Instant.parse(body.expiresAt());
                if (!expiresAt.isAfter(now)) {
                    violations.add(new Violation("expires_at", "must be in the future"));
                }
            } catch (DateTimeParseException e) {
                violations.add(new Violation("expires_at", "must be an ISO-8601 instant, e.g. 2027-01-31T00:00:00Z"));
            }
        }
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        String keyId = UUID.randomUUID().toString();
        String key = ApiKeyFormat.newKey(keyId);
        String prefix = ApiKeyFormat.prefix(keyId);
        commands.send(new IssueApiKey(user.id(), keyId, body.name(), prefix, ApiKeyFormat.hash(key), expiresAt));
        return ResponseEntity.created(URI.create("/api/v1/auth/api-keys/" + keyId))
                             .cacheControl(CacheControl.noStore())
                             .body(new NewApiKey(keyId, body.name(), key, prefix, expiresAt, now));
    }

    @GetMapping
    @Operation(summary = "The caller's API keys", description = "Never the keys themselves")
    public List<ApiKeyResponse> list(@AuthenticationPrincipal PlatformUser user) {
        List<ApiKeyView> keys = queries.query(new ListApiKeys(user.id()), ApiKeyList.class).join().keys();
        Map<String, Instant> lastUsed = use.lastUsed(keys.stream().map(ApiKeyView::id).toList());
        return keys.stream()
                   .map(key -> new ApiKeyResponse(key.id(), key.name(), key.prefix(), key.expiresAt(),
                                                  key.createdAt(), key.revokedAt(), lastUsed.get(key.id())))
                   .toList();
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke an API key", description = "204; it stops working on every node within a second. "
            + "Another user's key is 404, as if it did not exist (admins may revoke any key)")
    public ResponseEntity<Void> revoke(@AuthenticationPrincipal PlatformUser user, @PathVariable String id) {
        ApiKeyCredential key = credentials.find(id)
                                          .filter(found -> found.userId().equals(user.id()) || user.isAdmin())
                                          .orElseThrow(() -> new NotFoundException("API key", id));
        commands.send(new RevokeApiKey(key.userId(), key.keyId()));
        directory.forgetApiKey(key.keyId());
        return ResponseEntity.noContent().build();
    }
}
