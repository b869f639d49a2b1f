package org.mcpplatform.live;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.mcpplatform.ratelimit.ClientAddress;
import org.mcpplatform.security.TokenAuthentication;
import org.mcpplatform.web.ErrorResponses;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Authentication at the WebSocket handshake. Browsers cannot set an Authorization header on a WebSocket, and a token
 * in the URL would end up in access logs, so the token rides in the subprotocol list: {@code Sec-WebSocket-Protocol:
 * bearer, <token>}; the server answers with the subprotocol {@code bearer} (never the token). Clients that can set
 * headers may send Authorization: Bearer or X-API-Key instead. A handshake with a credential that fails is refused
 * with 401; one without any credential is accepted and must authenticate by its first message.
 */
class BearerSubprotocolHandshake extends DefaultHandshakeHandler implements HandshakeInterceptor {

    static final String SUBPROTOCOL = "bearer";

    private final TokenAuthentication authentication;
    private final ErrorResponses errors;

    BearerSubprotocolHandshake(TokenAuthentication authentication, ErrorResponses errors) {
        this.authentication = authentication;
        this.errors = errors;
    }

    @Override
    protected String selectProtocol(List<String> requestedProtocols, WebSocketHandler webSocketHandler) {
        return requestedProtocols.stream().anyMatch(SUBPROTOCOL::equalsIgnoreCase) ? SUBPROTOCOL : null;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Map<String, Object> attributes) throws IOException {
        if (!(request instanceof ServletServerHttpRequest servletRequest)
                || !(response instanceof ServletServerHttpResponse servletResponse)) {
            return false;
        }
        HttpServletRequest http = servletRequest.getServletRequest();
        String address = ClientAddress.of(http);
        attributes.put(LiveWebSocketHandler.CLIENT_ADDRESS, address);
        Optional<String> credential = credential(request.getHeaders());
        if (credential.isEmpty()) {
            return true;
        }
        Optional<TokenAuthentication.Verified> verified = authentication.verify(credential.get(), address);
        if (verified.isEmpty()) {
            HttpServletResponse httpResponse = servletResponse.getServletResponse();
            httpResponse.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
            errors.write(http, httpResponse, HttpStatus.UNAUTHORIZED, "UNAUTHORIZED",
                         "The access token or API key is invalid, expired or revoked", Map.of());
            return false;
        }
        attributes.put(LiveWebSocketHandler.VERIFIED, verified.get());
        return true;
    }

    /** The credential of the handshake: after "bearer" in the subprotocols, or in the Authorization/X-API-Key header. */
    static Optional<String> credential(HttpHeaders headers) {
        List<String> protocols = new ArrayList<>();
        for (String header : headers.getOrEmpty(WebSocketHttpHeaders.SEC_WEBSOCKET_PROTOCOL)) {
            for (String protocol : header.split(",")) {
                if (!protocol.isBlank()) {
                    protocols.add(protocol.strip());
                }
            }
        }
        for (int i = 0; i < protocols.size(); i++) {
            if (protocols.get(i).equalsIgnoreCase(SUBPROTOCOL)) {
                // "bearer" without a token is a failed credential, not an anonymous handshake
                return Optional.of(i + 1 < protocols.size() ? protocols.get(i + 1) : "");
            }
        }
        String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(authorization.substring(7).strip());
        }
        return Optional.ofNullable(headers.getFirst(TokenAuthentication.API_KEY_HEADER));
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                               Exception exception) {
    }
}
