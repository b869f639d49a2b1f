package org.mcpplatform.gateway;

import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.ProtocolVersions;

import java.util.List;
import java.util.Map;

/** What the gateway knows of the MCP revisions it speaks: versions, headers, error codes. */
final class McpProtocol {

    /** Oldest first. 2026-07-28 (stateless, no initialize) is not served: it is answered as unsupported. */
    static final List<String> SUPPORTED_VERSIONS = List.of(ProtocolVersions.MCP_2024_11_05,
                                                          ProtocolVersions.MCP_2025_03_26,
                                                          ProtocolVersions.MCP_2025_06_18,
                                                          ProtocolVersions.MCP_2025_11_25);
    static final String LATEST_VERSION = SUPPORTED_VERSIONS.get(SUPPORTED_VERSIONS.size() - 1);
    /** The spec: a request without MCP-Protocol-Version (and no other way to tell) is taken as 2025-03-26. */
    static final String ASSUMED_VERSION = ProtocolVersions.MCP_2025_03_26;

    static final String SESSION_ID = "Mcp-Session-Id";
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

    private McpProtocol() {
    }

    static boolean supported(String version) {
        return SUPPORTED_VERSIONS.contains(version);
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
}
