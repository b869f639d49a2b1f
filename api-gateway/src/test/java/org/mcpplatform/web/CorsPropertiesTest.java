package org.mcpplatform.web;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.support.Api;
import org.mcpplatform.support.PlatformTest;
import org.quicktheories.core.Gen;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcpplatform.support.SecretGenerators.strings;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.oneOf;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.Generate.range;

/** Cross-origin access for the configured origins only (the tests configure two, in config/application.yml). */
@PlatformTest
class CorsPropertiesTest {

    private static final List<String> ALLOWED_HEADERS = List.of("authorization", "content-type", "x-api-key",
                                                                "x-request-id", "if-match", "if-none-match");
    private static final String LABEL = "abcdefghijklmnopqrstuvwxyz0123456789";

    @LocalServerPort
    int port;
    @Autowired
    CorsProperties cors;

    Api api;

    @BeforeEach
    void connect() {
        api = new Api(port);
        assertThat(cors.allowedOrigins()).as("the tests configure origins to allow").isNotEmpty();
    }

    /** Origins that are not configured: random ones, and near misses of the configured ones. */
    Gen<String> foreignOrigins() {
        Gen<String> random = pick(List.of("http", "https")).zip(strings(LABEL, 1, 20), pick(List.of("com", "test",
                "example", "io")), range(0, 3), (scheme, name, tld, port) -> scheme + "://" + name + "." + tld
                + (port == 0 ? "" : ":" + (1000 + port * 1111)));
        Gen<String> nearMiss = pick(cors.allowedOrigins()).zip(pick(List.of("scheme", "port", "subdomain", "suffix",
                                                                            "parent")), (origin, how) -> {
            URI uri = URI.create(origin);
            String host = uri.getHost();
            return switch (how) {
                case "scheme" -> (uri.getScheme().equals("https") ? "http" : "https") + "://" + uri.getAuthority();
                case "port" -> uri.getScheme() + "://" + host + ":" + (uri.getPort() == 8443 ? 8444 : 8443);
                case "subdomain" -> uri.getScheme() + "://evil." + uri.getAuthority();
                case "suffix" -> uri.getScheme() + "://" + host + ".evil.com" + (uri.getPort() < 0 ? ""
                        : ":" + uri.getPort());
                default -> uri.getScheme() + "://" + (host.contains(".") ? host.substring(host.indexOf('.') + 1)
                        : host + "x") + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
            };
        });
        return oneOf(random, nearMiss, pick(List.of("null"))).assuming(origin -> cors.allowedOrigins().stream()
                .noneMatch(allowed -> allowed.equalsIgnoreCase(origin)));
    }

    /** Request headers a page asks for, now and then with one that is not allowed. */
    static Gen<List<String>> requestedHeaders() {
        return pick(ALLOWED_HEADERS).zip(pick(ALLOWED_HEADERS), pick(List.of("", "", "", "x-evil")),
                                         (first, second, extra) -> {
                                             List<String> headers = new ArrayList<>(List.of(first, second));
                                             if (!extra.isEmpty()) {
                                                 headers.add(extra);
                                             }
                                             return headers;
                                         });
    }

    // Property 41: CORS Origin Validation — for any origin, a preflight is answered with
    // Access-Control-Allow-Origin only for a configured origin, allowing only the allowed headers of those asked
    // for (the browser then refuses the others); any other origin's preflight is refused with 403 and carries no
    // CORS header
    @Test
    void onlyConfiguredOriginsPassAPreflight() {
        Gen<String> origins = oneOf(pick(cors.allowedOrigins()), foreignOrigins());
        qt().withExamples(100).forAll(origins, pick(List.of("GET", "POST", "PATCH", "PUT", "DELETE")),
                                      requestedHeaders()).checkAssert((origin, method, headers) -> {
            Api.Response response = api.send("OPTIONS", "/api/v1/mcps", null, "Origin", origin,
                                             "Access-Control-Request-Method", method,
                                             "Access-Control-Request-Headers", String.join(",", headers));
            if (cors.allowedOrigins().contains(origin)) {
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(origin);
                assertThat(response.header("Access-Control-Allow-Methods")).contains(method);
                List<String> allowedHeaders = List.of(response.header("Access-Control-Allow-Headers")
                                                              .toLowerCase(Locale.ROOT).split(",\\s*"));
                assertThat(allowedHeaders).containsAll(headers.stream().filter(ALLOWED_HEADERS::contains).toList())
                                          .doesNotContain("x-evil");
                assertThat(response.header("Access-Control-Max-Age")).isEqualTo("3600");
                assertThat(response.header("Access-Control-Allow-Credentials")).isNull();
            } else {
                assertThat(response.status()).isEqualTo(403);
                assertThat(response.header("Access-Control-Allow-Origin")).isNull();
                assertThat(response.header("Access-Control-Allow-Methods")).isNull();
            }
        });
    }

    // Property 41: CORS Origin Validation — for any origin, an actual cross-origin request gets
    // Access-Control-Allow-Origin (and the exposed headers) only when the origin is configured
    @Test
    void onlyConfiguredOriginsMayReadResponses() {
        Gen<String> origins = oneOf(pick(cors.allowedOrigins()), foreignOrigins());
        qt().withExamples(60).forAll(origins).checkAssert(origin -> {
            Api.Response response = api.get("/api/v1/mcps?page_size=1", "Origin", origin);
            if (cors.allowedOrigins().contains(origin)) {
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(origin);
                assertThat(response.header("Access-Control-Expose-Headers"))
                        .contains(RequestIds.HEADER, "ETag", "Location", "Retry-After", "X-RateLimit-Limit",
                                  "X-RateLimit-Remaining");
            } else {
                assertThat(response.status()).isEqualTo(403);
                assertThat(response.header("Access-Control-Allow-Origin")).isNull();
            }
        });
    }

    @Test
    void requestsWithoutAnOriginAreNotCrossOrigin() {
        Api.Response response = api.get("/api/v1/mcps?page_size=1");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isNull();
    }
}
