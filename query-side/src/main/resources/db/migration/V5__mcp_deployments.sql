-- The deployment read model (the seed's mcp_deployments), written only by the deployment projection. Times are UTC,
-- DATETIME(6), taken from the event timestamps.
--
-- endpoint_path, not the seed's endpoint_url: the URL depends on where the platform is reached from (its configured
-- base URL), the path does not. No foreign key to mcp_tools: each table is written by its own projection, which may
-- run ahead of the other. revision: the number of the deployment's events applied (what read-your-writes waits for).
-- tool_revision: the revision of the tool whose config the deployment runs (also after restarts).
-- definition_changes: the unapproved differences of the upstream's tool definitions as JSON, null when none.
CREATE TABLE mcp_deployments (
    id                   CHAR(36)     NOT NULL,
    tool_id              CHAR(36)     NOT NULL,
    tool_revision        BIGINT       NOT NULL,
    slug                 VARCHAR(255) NOT NULL,
    server               VARCHAR(255) NOT NULL,
    kind                 ENUM('stdio', 'streamable-http', 'sse') NOT NULL,
    endpoint_path        VARCHAR(512) NOT NULL,
    status               ENUM('starting', 'running', 'stopped', 'failed') NOT NULL DEFAULT 'starting',
    health_status        ENUM('healthy', 'unhealthy', 'unknown') NOT NULL DEFAULT 'unknown',
    pid                  BIGINT       NULL,
    restarts             INT          NOT NULL DEFAULT 0,
    last_error           TEXT         NULL,
    requested_by         VARCHAR(64)  NOT NULL,
    owner_id             VARCHAR(64)  NOT NULL,
    requested_at         DATETIME(6)  NOT NULL,
    started_at           DATETIME(6)  NULL,
    stopped_at           DATETIME(6)  NULL,
    last_health_check_at DATETIME(6)  NULL,
    definitions_changed  BOOLEAN      NOT NULL DEFAULT FALSE,
    definition_changes   LONGTEXT     NULL,
    revision             BIGINT       NOT NULL,
    PRIMARY KEY (id)
) ${table_options};

CREATE INDEX idx_mcp_deployments_tool ON mcp_deployments (tool_id);
CREATE INDEX idx_mcp_deployments_status ON mcp_deployments (status);
-- a user's deployments (requested or owned), newest first
CREATE INDEX idx_mcp_deployments_requested_by ON mcp_deployments (requested_by, requested_at);
CREATE INDEX idx_mcp_deployments_owner ON mcp_deployments (owner_id, requested_at);
