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
