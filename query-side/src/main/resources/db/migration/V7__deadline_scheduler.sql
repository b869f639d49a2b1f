-- Deadlines of sagas (restart back-off, start timeouts) as db-scheduler 13 keeps them (Axon's
-- DbSchedulerDeadlineManager), so that they outlive a restart of the platform. DATETIME rather than TIMESTAMP: MariaDB
-- gives the first TIMESTAMP NOT NULL column an implicit ON UPDATE CURRENT_TIMESTAMP, which would move a deadline
-- whenever its row is touched. db-scheduler compares times it passes in itself, never the database's clock.
CREATE TABLE scheduled_tasks (
    task_name            VARCHAR(100) NOT NULL,
    task_instance        VARCHAR(100) NOT NULL,
    task_data            LONGBLOB     NULL,
    execution_time       DATETIME(6)  NOT NULL,
    picked               BOOLEAN      NOT NULL,
    picked_by            VARCHAR(50)  NULL,
    last_success         DATETIME(6)  NULL,
    last_failure         DATETIME(6)  NULL,
    consecutive_failures INT          NULL,
    last_heartbeat       DATETIME(6)  NULL,
    version              BIGINT       NOT NULL,
    PRIMARY KEY (task_name, task_instance)
) ${table_options};

CREATE INDEX idx_scheduled_tasks_execution_time ON scheduled_tasks (execution_time);
CREATE INDEX idx_scheduled_tasks_last_heartbeat ON scheduled_tasks (last_heartbeat);
