package org.mcpplatform.gateway;

import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.ProtocolVersions;

import java.util.List;
import java.util.Map;

/** What the gateway knows of the MCP revisions it speaks: versions, headers, error codes. */
final class McpProtocol {

    /**
     * The legacy revisions (initialize handshake, sessions), oldest first. initialize negotiates only among these: the
     * stateless revision {@link #STATELESS_VERSION} has no handshake.
     */
    static final List<String> SUPPORTED_VERSIONS = List.of(ProtocolVersions.MCP_2024_11_05,
                                                          ProtocolVersions.MCP_2025_03_26,
                                                          ProtocolVersions.MCP_2025_06_18,
                                                          ProtocolVersions.MCP_2025_11_25);
    static final String LATEST_VERSION = SUPPORTED_VERSIONS.get(SUPPORTED_VERSIONS.size() - 1);
    /** The spec: a request without MCP-Protocol-Version (and no other way to tell) is taken as 2025-03-26. */
    static final String ASSUMED_VERSION = ProtocolVersions.MCP_2025_03_26;

    /** The stateless revision: no initialize, no session; every request carries its version and capabilities. */
    static final String STATELESS_VERSION = "2026-07-28";
    /** What server/discover and UnsupportedProtocolVersionError list: every revision served, newest first. */
    static final List<String> ALL_VERSIONS = List.of(STATELESS_VERSION, ProtocolVersions.MCP_2025_11_25,
                                                     ProtocolVersions.MCP_2025_06_18, ProtocolVersions.MCP_2025_03_26,
                                                     ProtocolVersions.MCP_2024_11_05);

    static final String SESSION_ID = "Mcp-Session-Id";
    /** 2026-07-28: mirrors of the body's method and of params.name / params.uri, for intermediaries. */
    static final String METHOD_HEADER = "Mcp-Method";
    static final String NAME_HEADER = "Mcp-Name";
    static final String META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
    static final String META_CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    static final String META_SERVER_INFO = "io.modelcontextprotocol/serverInfo";
    /** _meta keys with this prefix are reserved for MCP itself. */
    static final String META_RESERVED_PREFIX = "io.modelcontextprotocol/";
    static final String METHOD_DISCOVER = "server/discover";
    static final String PROTOCOL_VERSION = "MCP-Protocol-Version";
    static final String LAST_EVENT_ID = "Last-Event-ID";

    // JSON-RPC 2.0 codes, and the implementation-defined ones the TypeScript SDK and the spec use
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    /** Transport-level refusals (not acceptable, bad header, forbidden origin): the TypeScript SDK's -32000. */
    static final int SERVER_ERROR = -32000;
    /** Unknown or ended session, as the TypeScript SDK answers it. */
    static final int SESSION_NOT_FOUND = -32001;
    /** A request that took longer than the gateway's timeout (the TypeScript SDK's RequestTimeout). */
    static final int REQUEST_TIMEOUT = -32001;

    /** 2026-07-28: the HTTP headers do not match the body, or a required one is missing or malformed. */
    static final int HEADER_MISMATCH = -32020;
    /** 2026-07-28: the requested protocol version is not served; data carries {supported, requested}. */
    static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

    private McpProtocol() {
    }

    static boolean supported(String version) {
        return SUPPORTED_VERSIONS.contains(version);
    }

    static boolean served(String version) {
        return supported(version) || STATELESS_VERSION.equals(version);
    }

    /** The client's version when the gateway speaks it, else the newest the gateway speaks (the spec's rule). */
    static String negotiate(String requested) {
        return supported(requested) ? requested : LATEST_VERSION;
    }

    static McpSchema.JSONRPCResponse error(Object id, int code, String message) {
        return new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, id, null,
                                             new McpSchema.JSONRPCResponse.JSONRPCError(code, message, null));
    }

    static McpSchema.JSONRPCResponse result(Object id, Object result) {
        return new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, id, result, null);
    }

    /** params._meta.progressToken of a request, or null. */
    static Object progressToken(McpSchema.JSONRPCRequest request) {
        if (request.params() instanceof Map<?, ?> params && params.get("_meta") instanceof Map<?, ?> meta) {
            return meta.get("progressToken");
        }
        return null;
    }

    /** params.name of a tools/call (or prompts/get), or null. */
    static String name(McpSchema.JSONRPCRequest request) {
        if (request.params() instanceof Map<?, ?> params && params.get("name") instanceof String name) {
            return name;
        }
        return null;
    }

    /**
     * Whether a response is the "request timed out" error: the gateway's own code, or the message the upstream side
     * gives its timeouts.
     */
    static boolean isTimeout(McpSchema.JSONRPCResponse response) {
        McpSchema.JSONRPCResponse.JSONRPCError error = response.error();
        return error != null && error.message() != null
                && (error.message().toLowerCase(java.util.Locale.ROOT).contains("timed out")
                        || error.message().toLowerCase(java.util.Locale.ROOT).contains("timeout"));
    }

    /** params._meta of a request, or null. */
    static Map<?, ?> meta(McpSchema.JSONRPCRequest request) {
        if (request.params() instanceof Map<?, ?> params && params.get("_meta") instanceof Map<?, ?> meta) {
            return meta;
        }
        return null;
    }

    /**
     * A header value as 2026-07-28 sends it: {@code =?base64?...?=} is Base64 of the UTF-8 text (for values that are
     * not plain ASCII). Null when the encoding is broken.
     */
    static String decodeHeaderValue(String value) {
        if (value.startsWith("=?base64?") && value.endsWith("?=") && value.length() >= 11) {
            try {
                return new String(java.util.Base64.getDecoder().decode(value.substring(9, value.length() - 2)),
                                  java.nio.charset.StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return value;
    }
}
