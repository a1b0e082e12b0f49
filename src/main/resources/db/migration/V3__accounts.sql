-- Accounts and login tokens; who created a room (for the rooms-per-user cap).
-- Portable SQL: runs on H2 (embedded default) and PostgreSQL 15.

-- {argon2}... (Spring Security's prefixed form); null for users known only through single sign-on
ALTER TABLE users ADD COLUMN password_hash VARCHAR(255);

CREATE TABLE access_tokens (
    -- SHA-256 of the token, hex: the token itself is never stored
    token_hash  CHAR(64)                 NOT NULL PRIMARY KEY,
    username    VARCHAR(32)              NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX access_tokens_by_user ON access_tokens (username);

-- the creator's name key; null for general and conversations
ALTER TABLE rooms ADD COLUMN created_by VARCHAR(32);
