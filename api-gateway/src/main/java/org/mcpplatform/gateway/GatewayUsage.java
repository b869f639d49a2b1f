package org.mcpplatform.gateway;

import io.modelcontextprotocol.spec.McpSchema;
import org.mcpplatform.deployment.Upstream;
import org.mcpplatform.usage.UsageRecord;
import org.mcpplatform.usage.UsageRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.time.Instant;

/** Hands every forwarded request to the usage recorder (which queues it), when the application has one. */
@Component
class GatewayUsage {

    private static final Logger log = LoggerFactory.getLogger(GatewayUsage.class);

    static final String OK = "ok";
    static final String ERROR = "error";
    static final String TIMEOUT = "timeout";

    private final ObjectProvider<UsageRecorder> recorders;

    GatewayUsage(ObjectProvider<UsageRecorder> recorders) {
        this.recorders = recorders;
    }

    void record(Upstream upstream, McpSchema.JSONRPCRequest request, McpSchema.JSONRPCResponse response,
                int httpStatus, long startNanos, String userId) {
        UsageRecorder recorder = recorders.getIfAvailable();
        if (recorder == null) {
            return;
        }
        String status = response == null ? ERROR
                : response.error() == null ? OK
                : McpProtocol.isTimeout(response) ? TIMEOUT : ERROR;
        String toolName = McpSchema.METHOD_TOOLS_CALL.equals(request.method()) ? McpProtocol.name(request) : null;
        try {
            recorder.record(new UsageRecord(upstream.toolId(), upstream.deploymentId(), request.method(), toolName,
                                            status, httpStatus, (System.nanoTime() - startNanos) / 1_000, userId,
                                            Instant.now()));
        } catch (RuntimeException e) {
            // telemetry never fails a request
            log.warn("A usage record was lost: {}", e.toString());
        }
    }
}
