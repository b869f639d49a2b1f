-- Events a projection could not handle, per processing group and in order per sequence (one tool), kept for
-- inspection and retry instead of being skipped (Axon's JdbcSequencedDeadLetterQueue, with snake_case names).
CREATE TABLE dead_letter_entry (
    dead_letter_id      VARCHAR(255)  NOT NULL,
    processing_group    VARCHAR(255)  NOT NULL,
    sequence_identifier VARCHAR(255)  NOT NULL,
    sequence_index      BIGINT        NOT NULL,
    message_type        VARCHAR(255)  NOT NULL,
    event_identifier    VARCHAR(255)  NOT NULL,
    time_stamp          VARCHAR(255)  NOT NULL,
    payload_type        VARCHAR(255)  NOT NULL,
    payload_revision    VARCHAR(255)  NULL,
    payload             LONGBLOB      NOT NULL,
    meta_data           LONGBLOB      NULL,
    aggregate_type      VARCHAR(255)  NULL,
    aggregate_identifier VARCHAR(255) NULL,
    sequence_number     BIGINT        NULL,
    token_type          VARCHAR(255)  NULL,
    token               LONGBLOB      NULL,
    enqueued_at         VARCHAR(255)  NOT NULL,
    last_touched        VARCHAR(255)  NULL,
    processing_started  VARCHAR(255)  NULL,
    cause_type          VARCHAR(255)  NULL,
    cause_message       VARCHAR(1023) NULL,
    diagnostics         LONGBLOB      NULL,
    PRIMARY KEY (dead_letter_id),
    CONSTRAINT uq_dead_letter_sequence UNIQUE (processing_group, sequence_identifier, sequence_index)
) ${table_options};

CREATE INDEX idx_dead_letter_group ON dead_letter_entry (processing_group);
CREATE INDEX idx_dead_letter_sequence ON dead_letter_entry (processing_group, sequence_identifier);
