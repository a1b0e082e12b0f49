package dev.parley.history;

import dev.parley.protocol.Names;
import reactor.core.publisher.Mono;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@link ReadMarkStore} over JDBC; user names are stored by their case-insensitive key. */
final class JdbcReadMarkStore implements ReadMarkStore {
    private final DataSource dataSource;
    private final StoreThreads threads;

    JdbcReadMarkStore(DataSource dataSource, StoreThreads threads) {
        this.dataSource = dataSource;
        this.threads = threads;
    }

    @Override
    public Mono<Map<String, Long>> unread(String user, Map<String, Long> currentSeqs) {
        String key = Names.key(user);
        return threads.read(dataSource, c -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (Map.Entry<String, Long> room : currentSeqs.entrySet()) {
                counts.put(room.getKey(), unread(c, room.getKey(), key, room.getValue()));
            }
            return counts;
        });
    }

    private static long unread(Connection c, String room, String key, long currentSeq) throws SQLException {
        Long mark = mark(c, room, key);
        if (mark == null) {
            insertIfAbsent(c, room, key, currentSeq);
            return 0L;
        }
        try (PreparedStatement q = c.prepareStatement(
                "SELECT COUNT(*) FROM messages WHERE room = ? AND seq > ? AND LOWER(sender) <> ?")) {
            q.setString(1, room);
            q.setLong(2, mark);
            q.setString(3, key);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public Mono<Void> markRead(String room, String user, long seq) {
        String key = Names.key(user);
        return threads.read(dataSource, c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE read_marks SET seq = ? WHERE room = ? AND username = ? AND seq < ?")) {
                update.setLong(1, seq);
                update.setString(2, room);
                update.setString(3, key);
                update.setLong(4, seq);
                if (update.executeUpdate() == 0) {
                    insertIfAbsent(c, room, key, seq);
                }
            }
            return Boolean.TRUE;
        }).then();
    }

    private static Long mark(Connection c, String room, String key) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "SELECT seq FROM read_marks WHERE room = ? AND username = ?")) {
            q.setString(1, room);
            q.setString(2, key);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    /** Inserts a mark unless one exists; a concurrent insert of the same mark is not an error. */
    private static void insertIfAbsent(Connection c, String room, String key, long seq) throws SQLException {
        if (mark(c, room, key) != null) {
            return;
        }
        try {
            insert(c, room, key, seq);
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                throw e;
            }
        }
    }

    /** Inserts a mark; there must be none for this user and room. */
    static void insert(Connection c, String room, String key, long seq) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO read_marks (room, username, seq) VALUES (?, ?, ?)")) {
            insert.setString(1, room);
            insert.setString(2, key);
            insert.setLong(3, seq);
            insert.executeUpdate();
        }
    }
}
