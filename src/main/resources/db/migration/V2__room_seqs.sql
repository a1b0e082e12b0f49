-- Each room's last seq, kept by the database: a batch takes its room's next seqs by moving this counter in
-- its own transaction (UPDATE ... RETURNING), so any number of writers, on any number of nodes, never
-- collide on (room, seq), skip or reuse one, and a failed transaction leaves no hole (its move rolls back).
-- A room deleted and made again starts at 1: its counter goes with its last messages.
CREATE TABLE room_seqs (
    room      VARCHAR(1024) NOT NULL PRIMARY KEY,
    last_seq  BIGINT        NOT NULL
);

INSERT INTO room_seqs (room, last_seq) SELECT room, MAX(seq) FROM messages GROUP BY room;
