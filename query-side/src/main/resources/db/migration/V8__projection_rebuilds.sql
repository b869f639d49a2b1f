-- One row per projection that has been rebuilt beside its live read model (POST /api/v1/admin/processors/{name}/
-- rebuild): the state every node reads to take part in a rebuild and to report its progress. Written by the nodes'
-- rebuild coordinators, never by a projection. phase: preparing, rebuilding, swapping, done or failed. done/total:
-- the rebuild's global event position and the event store's head when it was last measured; swap_node: the node that
-- swaps the rebuilt tables in. Times are UTC.
CREATE TABLE projection_rebuilds (
    processor_name    VARCHAR(255)  NOT NULL,
    rebuild_id        CHAR(36)      NOT NULL,
    phase             VARCHAR(16)   NOT NULL,
    requested_by      VARCHAR(64)   NULL,
    started_at        DATETIME(6)   NOT NULL,
    updated_at        DATETIME(6)   NOT NULL,
    finished_at       DATETIME(6)   NULL,
    done              BIGINT        NOT NULL DEFAULT 0,
    total             BIGINT        NOT NULL DEFAULT 0,
    events_per_second DOUBLE        NULL,
    swap_node         VARCHAR(255)  NULL,
    error             VARCHAR(1023) NULL,
    PRIMARY KEY (processor_name)
) ${table_options};
