-- The tool read model (the seed's mcp_tools), written only by the tool projection.
-- revision: the number of the tool's events applied (the API's ETag); config: the MCP configuration as JSON text.
-- Times are UTC, DATETIME(6) so that they hold the event timestamps exactly and do not depend on the session zone.
CREATE TABLE mcp_tools (
    id          CHAR(36)     NOT NULL,
    name        VARCHAR(255) NOT NULL,
    slug        VARCHAR(255) NOT NULL,
    description TEXT         NULL,
    version     VARCHAR(50)  NOT NULL,
    config      LONGTEXT     NOT NULL,
    author_id   CHAR(36)     NOT NULL,
    status      ENUM('draft', 'active', 'deprecated') NOT NULL DEFAULT 'draft',
    revision    BIGINT       NOT NULL,
    created_at  DATETIME(6)  NOT NULL,
    updated_at  DATETIME(6)  NOT NULL,
    deleted_at  DATETIME(6)  NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_mcp_tools_slug UNIQUE (slug)
) ${table_options};

CREATE INDEX idx_mcp_tools_author ON mcp_tools (author_id);
CREATE INDEX idx_mcp_tools_status ON mcp_tools (status);
CREATE INDEX idx_mcp_tools_created_at ON mcp_tools (created_at);
CREATE INDEX idx_mcp_tools_updated_at ON mcp_tools (updated_at);
