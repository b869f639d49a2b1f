-- One row per gateway request to a deployed tool (the seed's mcp_usage_stats), written in batches by the usage
-- recorder, not by a projection: usage records are telemetry, not events. Times are UTC, DATETIME(6).
--
-- method: the JSON-RPC method (the seed's HTTP method and endpoint say little for MCP); tool_name: the tool of a
-- tools/call; status: ok, error (a JSON-RPC error) or timeout; http_status: what the client got; response_time_us:
-- microseconds, so that sub-millisecond gateway round trips stay distinguishable.
-- No foreign keys: rows are written off the request path and must not fail because a read table lags.
CREATE TABLE mcp_usage_stats (
    id               BIGINT       NOT NULL AUTO_INCREMENT,
    tool_id          CHAR(36)     NOT NULL,
    deployment_id    CHAR(36)     NULL,
    method           VARCHAR(128) NOT NULL,
    tool_name        VARCHAR(255) NULL,
    status           VARCHAR(16)  NOT NULL,
    http_status      INT          NOT NULL,
    response_time_us BIGINT       NOT NULL,
    user_id          VARCHAR(64)  NULL,
    created_at       DATETIME(6)  NOT NULL,
    PRIMARY KEY (id)
) ${table_options};

-- the stats of a tool over a time range
CREATE INDEX idx_mcp_usage_stats_tool_created ON mcp_usage_stats (tool_id, created_at);
CREATE INDEX idx_mcp_usage_stats_deployment ON mcp_usage_stats (deployment_id);
