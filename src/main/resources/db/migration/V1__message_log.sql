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
