-- Tracking tokens of the event processors whose read models live in this database, stored in the same transaction
-- as the rows each batch writes (Axon's JdbcTokenStore, with snake_case names).
CREATE TABLE token_entry (
    processor_name VARCHAR(255) NOT NULL,
    segment        INTEGER      NOT NULL,
    token          LONGBLOB     NULL,
    token_type     VARCHAR(255) NULL,
    timestamp      VARCHAR(255) NULL,
    owner          VARCHAR(255) NULL,
    PRIMARY KEY (processor_name, segment)
) ${table_options};
