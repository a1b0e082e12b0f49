package dev.parley.storage.writer;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * The rooms' seq counters, kept by the database ({@code room_seqs}): a transaction takes the next seqs of a
 * room by moving its counter, so the database, not a writer's memory, assigns every seq. Writers on any
 * number of connections or nodes never collide, skip or reuse one; a transaction that fails takes nothing
 * (its move rolls back). Counters are moved in room-name order, so two writers that touch the same rooms
 * lock them in one order and cannot deadlock. The same SQL runs on SQLite (3.35+) and PostgreSQL.
 */
final class RoomSeqs {
    private static final String TAKE = "INSERT INTO room_seqs (room, last_seq) VALUES (?, ?) "
            + "ON CONFLICT (room) DO UPDATE SET last_seq = room_seqs.last_seq + excluded.last_seq RETURNING last_seq";

    private RoomSeqs() {
    }

    /**
     * Takes {@code counts} seqs of each room, in the writer's transaction.
     *
     * @return each room's first seq taken: its messages get that seq and the next ones
     */
    static Map<String, Long> take(WriterConnection connection, SortedMap<String, Integer> counts) throws SQLException {
        PreparedStatement take = connection.prepared(TAKE);
        Map<String, Long> first = new HashMap<>(counts.size() * 2);
        for (Map.Entry<String, Integer> room : counts.entrySet()) {
            take.setString(1, room.getKey());
            take.setLong(2, room.getValue());
            try (ResultSet rs = take.executeQuery()) {
                rs.next();
                first.put(room.getKey(), rs.getLong(1) - room.getValue() + 1);
            }
        }
        return first;
    }
}
