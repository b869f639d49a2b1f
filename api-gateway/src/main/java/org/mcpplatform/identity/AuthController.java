package org.mcpplatform.identity;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.queryhandling.QueryGateway;
import org.mcpplatform.common.NotFoundException;
import org.mcpplatform.common.ValidationException;
import org.mcpplatform.common.Violation;
import org.mcpplatform.ratelimit.AuthFailureLimiter;
import org.mcpplatform.ratelimit.ClientAddress;
import org.mcpplatform.security.CredentialDirectory;
import org.mcpplatform.security.PlatformUser;
import org.mcpplatform.web.ApiFailure;
import org.mcpplatform.web.Commands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Logging in and out, tokens, and accounts. */
@RestController
@RequestMapping("/api/v1/auth")
@Tag(name = "Authentication", description = "Login, tokens, accounts and roles")
public class AuthController {

    private static final Logger log = LoggerFactory.getLogger(AuthController.class);
    private static final int MAX_USERNAME = 100;
    private static final int MAX_REFRESH_TOKEN = 256;

    private final UserCredentials credentials;
    private final CredentialDirectory directory;
    private final Passwords passwords;
    private final AccessTokens accessTokens;
    private final SessionStore sessions;
    private final AuthFailureLimiter failures;
    private final Commands commands;
    private final QueryGateway queries;

    public AuthController(UserCredentials credentials, CredentialDirectory directory, Passwords passwords,
                          AccessTokens accessTokens, SessionStore sessions, AuthFailureLimiter failures,
                          Commands commands, QueryGateway queries) {
        this.credentials = credentials;
        this.directory = directory;
        this.passwords = passwords;
        this.accessTokens = accessTokens;
        this.sessions = sessions;
        this.failures = failures;
        this.commands = commands;
        this.queries = queries;
    }

    public record LoginRequest(String username, String password) {
        @Override
        public String toString() {
            return "LoginRequest[username=" + username + ", password=***]";
        }
    }

    public record RefreshRequest(String refreshToken) {
        @Override
        public String toString() {
            return "RefreshRequest[refreshToken=***]";
        }
    }

    public record TokenPair(String accessToken, String refreshToken, String tokenType, long expiresIn) {
        @Override
        public String toString() {
            return "TokenPair[***]";
        }
    }

    public record Me(String id, String username, String email, Role role) {
    }

    public record NewUserRequest(String username, String email, String password, String role) {
        @Override
        public String toString() {
            return "NewUserRequest[username=" + username + ", email=" + email + ", password=***, role=" + role + "]";
        }
    }

    public record RoleRequest(String role) {
    }

    public record UserResponse(String id, String username, String email, Role role, boolean active) {
    }

    @PostMapping("/login")
    @Operation(summary = "Log in", description = "An access token (JWT, 15 minutes) and a refresh token (7 days, "
            + "rotated on every refresh); 401 for a wrong username or password; 429 after repeated failures")
    public ResponseEntity<TokenPair> login(@RequestBody LoginRequest body, HttpServletRequest request) {
        List<Violation> violations = new ArrayList<>();
        requireText("username", body == null ? null : body.username(), MAX_USERNAME, violations);
        requireText("password", body == null ? null : body.password(), Passwords.MAX_LENGTH, violations);
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        String clientIp = ClientAddress.of(request);
        failures.checkNotBlocked(body.username(), clientIp);
        Optional<UserCredential> user = credentials.findByUsername(body.username());
        boolean valid = passwords.matches(body.password(), user.map(UserCredential::passwordHash).orElse(null))
                && user.get().active();
        if (!valid) {
            failures.recordFailure(body.username(), clientIp);
            log.info("Failed login for a username of {} characters from {}", body.username().length(), clientIp);
            throw new ApiFailure(HttpStatus.UNAUTHORIZED, "INVALID_CREDENTIALS", "Wrong username or password",
                                 Map.of());
        }
        UserCredential account = user.get();
        failures.recordSuccess(body.username());
        NewSession session = sessions.start(account.userId());
        return tokens(account, session.sessionId(), session.refreshToken());
    }

    @PostMapping("/refresh")
    @Operation(summary = "Exchange a refresh token for a new pair", description = "The presented token is spent; "
            + "presenting a spent token again ends its whole login session (all tokens issued from it)")
    public ResponseEntity<TokenPair> refresh(@RequestBody RefreshRequest body) {
        String token = body == null ? null : body.refreshToken();
        List<Violation> violations = new ArrayList<>();
        requireText("refresh_token", token, MAX_REFRESH_TOKEN, violations);
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        Rotation rotation = sessions.rotate(token);
        if (rotation instanceof Rotation.Rotated rotated) {
            Optional<UserCredential> user = directory.activeUser(rotated.userId());
            if (user.isPresent()) {
                return tokens(user.get(), rotated.sessionId(), rotated.newRefreshToken());
            }
            sessions.endSession(rotated.sessionId());
        } else if (rotation instanceof Rotation.Reused reused) {
            log.warn("A spent refresh token was presented again: login session {} of user {} ended",
                     reused.sessionId(), reused.userId());
        }
        throw new ApiFailure(HttpStatus.UNAUTHORIZED, "INVALID_REFRESH_TOKEN",
                             "The refresh token is invalid, expired or already used; log in again", Map.of());
    }

    @PostMapping("/logout")
    @Operation(summary = "Log out", description = "Ends the login session of the refresh token: it and every access "
            + "token issued from it stop working")
    public ResponseEntity<Void> logout(@RequestBody RefreshRequest body) {
        String token = body == null ? null : body.refreshToken();
        List<Violation> violations = new ArrayList<>();
        requireText("refresh_token", token, MAX_REFRESH_TOKEN, violations);
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        sessions.end(token);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/me")
    @Operation(summary = "The authenticated user")
    public Me me(@AuthenticationPrincipal PlatformUser user) {
        UserView view = queries.query(new FindUserById(user.id()), UserView.class).join();
        return new Me(user.id(), user.username(), view == null ? null : view.email(), user.role());
    }

    @PostMapping("/users")
    @Operation(summary = "Create an account (admin)", description = "role: admin, developer or viewer")
    public ResponseEntity<UserResponse> createUser(@AuthenticationPrincipal PlatformUser actor,
                                                   @RequestBody NewUserRequest body) {
        actor.require("users", "create");
        List<Violation> violations = new ArrayList<>();
        if (body == null) {
            throw new ValidationException(List.of(new Violation("body", "must be a JSON object")));
        }
        requireText("username", body.username(), MAX_USERNAME, violations);
        requireText("email", body.email(), 255, violations);
        String password = body.password();
        if (password == null || password.length() < Passwords.MIN_LENGTH || password.length() > Passwords.MAX_LENGTH) {
            violations.add(new Violation("password", "must be " + Passwords.MIN_LENGTH + " to " + Passwords.MAX_LENGTH
                    + " characters"));
        }
        Role role = role(body.role(), violations);
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        String userId = UUID.randomUUID().toString();
        commands.send(new RegisterUser(userId, body.username(), body.email(), role, passwords.hash(password)));
        return ResponseEntity.created(URI.create("/api/v1/auth/users/" + userId))
                             .body(new UserResponse(userId, body.username(), body.email(), role, true));
    }

    @PatchMapping("/users/{id}/role")
    @Operation(summary = "Change a user's role (admin)", description = "Nobody changes their own role")
    public UserResponse changeRole(@AuthenticationPrincipal PlatformUser actor, @PathVariable String id,
                                   @RequestBody RoleRequest body) {
        actor.require("users", "update");
        List<Violation> violations = new ArrayList<>();
        Role role = role(body == null ? null : body.role(), violations);
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        UserCredential user = credentials.findById(id).orElseThrow(() -> new NotFoundException("user", id));
        commands.send(new ChangeRole(id, role));
        directory.forgetUser(id);
        UserView view = queries.query(new FindUserById(id), UserView.class).join();
        return new UserResponse(id, user.username(), view == null ? null : view.email(), role, user.active());
    }

    @DeleteMapping("/users/{id}")
    @Operation(summary = "Deactivate a user (admin)", description = "The account can no longer log in; its "
            + "sessions and API keys stop working at once; its tools and history stay")
    public ResponseEntity<Void> deactivate(@AuthenticationPrincipal PlatformUser actor, @PathVariable String id) {
        actor.require("users", "delete");
        credentials.findById(id).orElseThrow(() -> new NotFoundException("user", id));
        commands.send(new DeactivateUser(id));
        directory.forgetUser(id);
        sessions.endAllFor(id);
        return ResponseEntity.noContent().build();
    }

    private ResponseEntity<TokenPair> tokens(UserCredential user, String sessionId, String refreshToken) {
        IssuedToken access = accessTokens.issue(user.userId(), user.username(), user.role(), sessionId);
        return ResponseEntity.ok()
                             .cacheControl(CacheControl.noStore())
                             .header(HttpHeaders.PRAGMA, "no-cache")
                             .body(new TokenPair(access.value(), refreshToken, "Bearer", access.expiresInSeconds()));
    }

    private static Role role(String value, List<Violation> violations) {
        if (value == null) {
            violations.add(new Violation("role", "is required: admin, developer or viewer"));
            return null;
        }
        try {
            return Role.fromValue(value);
        } catch (IllegalArgumentException e) {
            violations.add(new Violation("role", "must be admin, developer or viewer"));
            return null;
        }
    }

    private static void requireText(String field, String value, int max, List<Violation> violations) {
        if (value == null || value.isBlank()) {
            violations.add(new Violation(field, "is required"));
        } else if (value.length() > max) {
            violations.add(new Violation(field, "must be at most " + max + " characters"));
        }
    }
}
