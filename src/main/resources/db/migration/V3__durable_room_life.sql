-- What several nodes must agree on about a room's life, kept on its row rather than in one node's memory.
-- A room's row is the lock that orders its membership changes: every change touches the row first.
-- empty_since: when its last member left (epoch ms); null while it has members. A room empty for the
--   grace period is deleted by whichever node claims it first.
-- deleted_at: when a node claimed it for deletion; joins are refused from then on, while its messages
--   are purged and its row goes last.
ALTER TABLE rooms ADD COLUMN empty_since BIGINT;
ALTER TABLE rooms ADD COLUMN deleted_at BIGINT;

-- Guests' memberships, stored in cluster mode only (a room with only guests in it is not empty): the node
-- their connection is on, which removes them when they go, or its reaper when it dies; and the guest's
-- name as spelled (guests have no row in users).
ALTER TABLE memberships ADD COLUMN guest_node VARCHAR(255);
ALTER TABLE memberships ADD COLUMN guest_name VARCHAR(32);

CREATE INDEX memberships_by_guest_node ON memberships (guest_node);

-- Rooms already empty: deletable at once in cluster mode (a single node gives them their grace at start).
UPDATE rooms SET empty_since = 0
WHERE name NOT LIKE '@%' AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.room = rooms.name);
