package org.mcpplatform.gateway;

/** A request the MCP endpoint turns down: answered with an HTTP status and a JSON-RPC error body (id null unless known). */
final class Refusal extends Exception {

    final int status;
    final int code;
    final Object id;
    /** The error's {@code data} member, or null. */
    final Object data;

    Refusal(int status, int code, String message) {
        this(status, code, message, null);
    }

    Refusal(int status, int code, String message, Object id) {
        this(status, code, message, id, null);
    }

    Refusal(int status, int code, String message, Object id, Object data) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.id = id;
        this.data = data;
    }
}
