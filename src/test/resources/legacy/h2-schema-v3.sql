-- Durable per-room message log and read marks.
-- Portable SQL: runs on H2 (embedded default) and PostgreSQL 15.

CREATE TABLE messages (
    room        VARCHAR(1024)            NOT NULL,
    seq         BIGINT                   NOT NULL,
    sender      VARCHAR(32)              NOT NULL,
    -- 4000 characters may take 8000 UTF-16 units (H2 counts those)
    body        VARCHAR(8000)            NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    -- (room, seq) is the identity of a message: a seq is never stored twice
    PRIMARY KEY (room, seq)
);

CREATE TABLE read_marks (
    room      VARCHAR(1024) NOT NULL,
    username  VARCHAR(32)   NOT NULL,
    seq       BIGINT        NOT NULL,
    PRIMARY KEY (room, username)
);

-- Rooms, their registered members and invitations, and the registered users the server knows.
-- Portable SQL: runs on H2 (embedded default) and PostgreSQL 15.
-- general is not stored here: everyone is always its member. Guests are not stored either:
-- their memberships end with their connection.

CREATE TABLE users (
    -- the case-insensitive identity (lowercase) and the name as the user spells it
    name_key    VARCHAR(32)              NOT NULL PRIMARY KEY,
    name        VARCHAR(32)              NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE rooms (
    name_key    VARCHAR(1024)            NOT NULL PRIMARY KEY,
    -- as created; messages, memberships and read marks refer to a room by this name
    name        VARCHAR(1024)            NOT NULL,
    visibility  VARCHAR(16)              NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE memberships (
    room        VARCHAR(1024)            NOT NULL,
    username    VARCHAR(32)              NOT NULL,
    joined_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (room, username)
);

CREATE INDEX memberships_by_user ON memberships (username);

CREATE TABLE invitations (
    room        VARCHAR(1024)            NOT NULL,
    username    VARCHAR(32)              NOT NULL,
    invited_by  VARCHAR(32)              NOT NULL,
    PRIMARY KEY (room, username)
);

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

