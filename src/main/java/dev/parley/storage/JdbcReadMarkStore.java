package dev.parley.storage;

import dev.parley.history.ReadMarkStore;
import dev.parley.protocol.Names;
import dev.parley.storage.writer.StoreWriter;
import reactor.core.publisher.Mono;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * {@link ReadMarkStore} over JDBC; user names are stored by their case-insensitive key. Counts are read on a
 * read thread; marks are written through the writer's queue like every other write, so the store has one
 * writing connection (SQLite allows one writer at a time, and a second one could fail a batch of messages).
 */
final class JdbcReadMarkStore implements ReadMarkStore {
    private final DataSource dataSource;
    private final StoreWriter writer;
    private final StoreThreads threads;

    JdbcReadMarkStore(DataSource dataSource, StoreWriter writer, StoreThreads threads) {
        this.dataSource = dataSource;
        this.writer = writer;
        this.threads = threads;
    }

    /** Unread counts by room, and the rooms where the user has no mark yet (with the seq it starts at). */
    private record Counted(Map<String, Long> counts, Map<String, Long> unmarked) {
    }

    @Override
    public Mono<Map<String, Long>> unread(String user, Map<String, Long> currentSeqs) {
        String key = Names.key(user);
        return threads.read(dataSource, c -> {
            Counted counted = new Counted(new LinkedHashMap<>(), new LinkedHashMap<>());
            for (Map.Entry<String, Long> room : currentSeqs.entrySet()) {
                Long mark = mark(c, room.getKey(), key);
                if (mark == null) {
                    counted.unmarked().put(room.getKey(), room.getValue());
                }
                counted.counts().put(room.getKey(), mark == null ? 0L : countAfter(c, room.getKey(), key, mark));
            }
            return counted;
        }).flatMap(counted -> counted.unmarked().isEmpty() ? Mono.just(counted.counts())
                // a full writer refuses at the call: deferred, so the refusal is a signal the counts survive
                : Mono.defer(() -> writer.write(c -> {
                    for (Map.Entry<String, Long> room : counted.unmarked().entrySet()) {
                        insertIfAbsent(c, room.getKey(), key, room.getValue());
                    }
                }))
                        // the counts stand without the first marks (a busy writer refused them, or they failed):
                        // those rooms count 0 now and get their mark at a later welcome or read
                        .onErrorResume(e -> Mono.empty())
                        .thenReturn(counted.counts()));
    }

    /**
     * Others' messages after the mark, up to {@link #UNREAD_MAX}: the inner query walks the (room, seq) key in
     * order and stops at the bound. Valid SQLite and PostgreSQL (which wants the derived table named).
     */
    private static long countAfter(Connection c, String room, String key, long mark) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM (SELECT 1 FROM messages"
                + " WHERE room = ? AND seq > ? AND LOWER(sender) <> ? ORDER BY seq LIMIT ?) AS unread")) {
            q.setString(1, room);
            q.setLong(2, mark);
            q.setString(3, key);
            q.setInt(4, UNREAD_MAX);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public Mono<Void> markRead(String room, String user, long seq) {
        String key = Names.key(user);
        return Mono.defer(() -> writer.write(c -> {
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
        }));
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

    /** Inserts a mark unless one exists (a mark that is there was set later, or by a join); writer thread only. */
    private static void insertIfAbsent(Connection c, String room, String key, long seq) throws SQLException {
        if (mark(c, room, key) == null) {
            insert(c, room, key, seq);
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
