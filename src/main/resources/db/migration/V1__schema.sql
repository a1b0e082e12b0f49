-- Parley's store: the per-room message log, read marks, rooms with their members and invitations,
-- registered users and their access tokens.
-- Portable SQL: runs on SQLite (the embedded default) and PostgreSQL.
-- Times are epoch milliseconds (UTC) in BIGINT columns: one form that every engine stores, compares
-- and indexes alike, without driver-specific date types.
-- general is not stored in rooms: everyone is always its member. Guests are stored nowhere: their
-- memberships end with their connection.

CREATE TABLE messages (
    room        VARCHAR(1024) NOT NULL,
    seq         BIGINT        NOT NULL,
    sender      VARCHAR(32)   NOT NULL,
    -- at most 4000 characters (the contract's limit, checked before the store)
    body        VARCHAR(8000) NOT NULL,
    created_at  BIGINT        NOT NULL,
    -- (room, seq) is the identity of a message: a seq is never stored twice
    PRIMARY KEY (room, seq)
);

CREATE TABLE read_marks (
    room      VARCHAR(1024) NOT NULL,
    username  VARCHAR(32)   NOT NULL,
    seq       BIGINT        NOT NULL,
    PRIMARY KEY (room, username)
);

CREATE TABLE users (
    -- the case-insensitive identity (lowercase) and the name as the user spells it
    name_key       VARCHAR(32)  NOT NULL PRIMARY KEY,
    name           VARCHAR(32)  NOT NULL,
    created_at     BIGINT       NOT NULL,
    -- {argon2}... (Spring Security's prefixed form); null for users known only through single sign-on
    password_hash  VARCHAR(255)
);

CREATE TABLE rooms (
    name_key    VARCHAR(1024) NOT NULL PRIMARY KEY,
    -- as created; messages, memberships and read marks refer to a room by this name
    name        VARCHAR(1024) NOT NULL,
    visibility  VARCHAR(16)   NOT NULL,
    created_at  BIGINT        NOT NULL,
    -- the creator's name key (for the rooms-per-user cap); null for conversations
    created_by  VARCHAR(32)
);

CREATE TABLE memberships (
    room        VARCHAR(1024) NOT NULL,
    username    VARCHAR(32)   NOT NULL,
    joined_at   BIGINT        NOT NULL,
    PRIMARY KEY (room, username)
);

CREATE INDEX memberships_by_user ON memberships (username);

CREATE TABLE invitations (
    room        VARCHAR(1024) NOT NULL,
    username    VARCHAR(32)   NOT NULL,
    invited_by  VARCHAR(32)   NOT NULL,
    PRIMARY KEY (room, username)
);

CREATE TABLE access_tokens (
    -- SHA-256 of the token, hex: the token itself is never stored
    token_hash  CHAR(64)     NOT NULL PRIMARY KEY,
    username    VARCHAR(32)  NOT NULL,
    created_at  BIGINT       NOT NULL,
    expires_at  BIGINT       NOT NULL
);

CREATE INDEX access_tokens_by_user ON access_tokens (username);
