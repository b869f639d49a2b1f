-- The identity read model (the seed's users and api_keys), written only by the user projection. Times are UTC,
-- DATETIME(6), taken from the event timestamps.
--
-- No password_hash and no key_hash column: passwords and key secrets never enter events, so nothing a projection
-- reads could fill them. Their hashes live in the command side's credential store, which also tracks when a key was
-- last used (no last_used_at here: that would be a database write on every authenticated request).
--
-- username_key and email_key are the lower-cased username and email (Java, Locale.ROOT) and carry the unique
-- constraints, with a binary collation: uniqueness is then "equal ignoring case" on MariaDB, MySQL and the embedded
-- H2 alike, instead of whatever the column collation makes of case and accents (utf8mb4_unicode_ci also equates
-- 'e' and 'é'; H2 compares exactly). They are twice as long as the columns they mirror because lower-casing can
-- lengthen a string.
CREATE TABLE users (
    id           CHAR(36)     NOT NULL,
    username     VARCHAR(100) NOT NULL,
    username_key VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    email        VARCHAR(255) NOT NULL,
    email_key    VARCHAR(510) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    role         ENUM('admin', 'developer', 'viewer') NOT NULL,
    is_active    BOOLEAN      NOT NULL,
    created_at   DATETIME(6)  NOT NULL,
    updated_at   DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_users_username UNIQUE (username_key),
    CONSTRAINT uq_users_email UNIQUE (email_key)
) ${table_options};

-- No foreign key to users: nothing but the projection writes either table, and it writes both in one transaction.
CREATE TABLE api_keys (
    id         CHAR(36)     NOT NULL,
    user_id    CHAR(36)     NOT NULL,
    name       VARCHAR(100) NOT NULL,
    prefix     VARCHAR(32)  NOT NULL,
    expires_at DATETIME(6)  NULL,
    created_at DATETIME(6)  NOT NULL,
    revoked_at DATETIME(6)  NULL,
    PRIMARY KEY (id)
) ${table_options};

-- a user's keys, newest first
CREATE INDEX idx_api_keys_user ON api_keys (user_id, created_at);
