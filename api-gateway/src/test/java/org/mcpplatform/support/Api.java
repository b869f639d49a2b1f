package org.mcpplatform.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A plain HTTP client for the platform's API, speaking raw JSON as an outside client would. {@code new Api(port)}
 * acts as the bootstrap administrator (logged in once per application); {@link #anonymous(int)} sends no
 * credentials; {@link #as(String)} sends the given access token or API key.
 */
public final class Api {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Map<String, AdminToken> ADMIN_TOKENS = new java.util.concurrent.ConcurrentHashMap<>();

    private record AdminToken(String value, java.time.Instant obtainedAt) {
    }

    private final String base;
    private final boolean admin;
    private final String credential;

    public Api(int port) {
        this("http://127.0.0.1:" + port, true, null);
    }

    private Api(String base, boolean admin, String credential) {
        this.base = base;
        this.admin = admin;
        this.credential = credential;
    }

    /** No credentials at all. */
    public static Api anonymous(int port) {
        return new Api("http://127.0.0.1:" + port, false, null);
    }

    /** Sends {@code Authorization: Bearer <credential>} (an access token or an API key). */
    public Api as(String credential) {
        return new Api(base, false, credential);
    }

    /** The bootstrap administrator's access token for this application. */
    public String adminToken() {
        AdminToken token = ADMIN_TOKENS.compute(base, (key, known) -> {
            // access tokens live 15 minutes; a test run can outlive one
            if (known != null && known.obtainedAt().isAfter(java.time.Instant.now().minusSeconds(600))) {
                return known;
            }
            Response login = anonymousSend("POST", "/api/v1/auth/login",
                                           Map.of("username", TestServices.ADMIN_USERNAME,
                                                  "password", TestServices.ADMIN_PASSWORD));
            if (login.status() != 200) {
                throw new IllegalStateException("the bootstrap admin cannot log in: " + login.status() + " "
                                                        + login.text());
            }
            return new AdminToken(Secrets.remember(login.json().get("access_token").asText()),
                                  java.time.Instant.now());
        });
        return token.value();
    }

    private Response anonymousSend(String method, String path, Object body) {
        return new Api(base, false, null).send(method, path, body);
    }

    public record Response(int status, Map<String, java.util.List<String>> headers, String text) {

        public JsonNode json() {
            try {
                return text.isEmpty() ? MissingNode.getInstance() : JSON.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text, e);
            }
        }

        public String header(String name) {
            return headers.entrySet().stream()
                          .filter(e -> e.getKey().equalsIgnoreCase(name))
                          .map(e -> e.getValue().get(0))
                          .findFirst().orElse(null);
        }

        public String etag() {
            return header("ETag");
        }
    }

    public Response get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    public Response post(String path, Object body, String... headers) {
        return send("POST", path, body, headers);
    }

    public Response patch(String path, Object body, String... headers) {
        return send("PATCH", path, body, headers);
    }

    public Response delete(String path, String... headers) {
        return send("DELETE", path, null, headers);
    }

    /** Sends a body as given: a String goes as is (malformed JSON included), anything else as JSON. */
    public Response send(String method, String path, Object body, String... headers) {
        try {
            String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                                                     .timeout(Duration.ofSeconds(60))
                                                     .method(method, text == null
                                                             ? HttpRequest.BodyPublishers.noBody()
                                                             : HttpRequest.BodyPublishers.ofString(text));
            if (text != null) {
                request.header("Content-Type", "application/json");
            }
            boolean ownAuthorization = false;
            for (int i = 0; i < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
                Secrets.rememberHeader(headers[i], headers[i + 1]);
                ownAuthorization |= headers[i].equalsIgnoreCase("Authorization")
                        || headers[i].equalsIgnoreCase("X-API-Key");
            }
            if (!ownAuthorization && (admin || credential != null)) {
                String authorization = "Bearer " + (admin ? adminToken() : credential);
                Secrets.rememberHeader("Authorization", authorization);
                request.header("Authorization", authorization);
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 401 && admin && !ownAuthorization && ADMIN_TOKENS.remove(base) != null) {
                // a cached token of an earlier application that listened on the same port: log in again
                return send(method, path, body, headers);
            }
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
