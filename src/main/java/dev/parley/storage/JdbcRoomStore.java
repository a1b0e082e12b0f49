package dev.parley.storage;

import dev.parley.protocol.Names;
import dev.parley.protocol.Visibility;
import dev.parley.room.RoomStore;
import dev.parley.storage.sql.Timestamps;
import dev.parley.storage.writer.StoreWriter;
import reactor.core.publisher.Mono;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * {@link RoomStore} over JDBC: writes go through the {@link StoreWriter}'s queue, so they
 * are ordered with message appends; the startup load runs on a read thread. Portable SQL (SQLite and
 * PostgreSQL): no upserts, a delete before each insert that could meet an old row.
 */
final class JdbcRoomStore implements RoomStore {
    private final DataSource dataSource;
    private final StoreWriter writer;
    private final StoreThreads threads;

    JdbcRoomStore(DataSource dataSource, StoreWriter writer, StoreThreads threads) {
        this.dataSource = dataSource;
        this.writer = writer;
        this.threads = threads;
    }

    @Override
    public Mono<List<StoredRoom>> load() {
        return threads.read(dataSource, c -> {
            Map<String, Long> lastSeqs = lastSeqs(c);
            Map<String, Map<String, String>> members = members(c);
            Map<String, List<String>> invited = invitations(c);
            List<StoredRoom> rooms = new ArrayList<>();
            rooms.add(new StoredRoom(Names.GENERAL, Visibility.PUBLIC, null, lastSeqs.getOrDefault(Names.GENERAL, 0L),
                    Map.of(), List.of()));
            try (PreparedStatement q = c.prepareStatement("SELECT name, visibility, created_by FROM rooms ORDER BY name_key");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    rooms.add(new StoredRoom(name, Visibility.fromWire(rs.getString(2)), rs.getString(3),
                            lastSeqs.getOrDefault(name, 0L), members.getOrDefault(name, Map.of()),
                            invited.getOrDefault(name, List.of())));
                }
            }
            return rooms;
        });
    }

    @Override
    public Mono<Void> create(String room, Visibility visibility, String createdBy, List<String> memberKeys,
                             Runnable onCommitted) {
        return writer.write(onCommitted, c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO rooms (name_key, name, visibility, created_at, created_by) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, Names.key(room));
                insert.setString(2, room);
                insert.setString(3, visibility.wire());
                insert.setLong(4, Timestamps.nowMillis());
                insert.setString(5, createdBy);
                insert.executeUpdate();
            }
            for (String member : memberKeys) {
                insertMember(c, room, member, 0);
            }
        });
    }

    @Override
    public Mono<Void> addMember(String room, String userKey, long readMark, Runnable onCommitted) {
        return writer.write(onCommitted, c -> {
            update(c, "DELETE FROM invitations WHERE room = ? AND username = ?", room, userKey);
            insertMember(c, room, userKey, readMark);
        });
    }

    @Override
    public Mono<Void> removeMember(String room, String userKey, Runnable onCommitted) {
        return writer.write(onCommitted, c -> {
            update(c, "DELETE FROM memberships WHERE room = ? AND username = ?", room, userKey);
            update(c, "DELETE FROM read_marks WHERE room = ? AND username = ?", room, userKey);
        });
    }

    @Override
    public Mono<Void> invite(String room, String userKey, String invitedBy, Runnable onCommitted) {
        return writer.write(onCommitted, c -> {
            update(c, "DELETE FROM invitations WHERE room = ? AND username = ?", room, userKey);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO invitations (room, username, invited_by) VALUES (?, ?, ?)")) {
                insert.setString(1, room);
                insert.setString(2, userKey);
                insert.setString(3, Names.key(invitedBy));
                insert.executeUpdate();
            }
        });
    }

    @Override
    public Mono<Void> delete(String room, Runnable onCommitted) {
        // members, invitations and read marks now; the messages in chunks after, and the room's row with the last
        return writer.deleteRoom(room, onCommitted, c -> {
            for (String table : List.of("read_marks", "memberships", "invitations")) {
                update(c, "DELETE FROM " + table + " WHERE room = ?", room);
            }
        }, c -> {
            // a room of this name made later starts again at seq 1
            update(c, "DELETE FROM room_seqs WHERE room = ?", room);
            update(c, "DELETE FROM rooms WHERE name_key = ?", Names.key(room));
        });
    }

    private static void insertMember(Connection c, String room, String userKey, long readMark) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO memberships (room, username, joined_at) VALUES (?, ?, ?)")) {
            insert.setString(1, room);
            insert.setString(2, userKey);
            insert.setLong(3, Timestamps.nowMillis());
            insert.executeUpdate();
        }
        // a new member's read mark starts where the room is: older history is readable, not unread
        update(c, "DELETE FROM read_marks WHERE room = ? AND username = ?", room, userKey);
        JdbcReadMarkStore.insert(c, room, userKey, readMark);
    }

    private static void update(Connection c, String sql, String... values) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setString(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }

    private static Map<String, Long> lastSeqs(Connection c) throws SQLException {
        Map<String, Long> seqs = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT room, MAX(seq) FROM messages GROUP BY room");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                seqs.put(rs.getString(1), rs.getLong(2));
            }
        }
        return seqs;
    }

    /** Registered members by room, each with the name as the user spells it (its key if unknown). */
    private static Map<String, Map<String, String>> members(Connection c) throws SQLException {
        Map<String, Map<String, String>> members = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT m.room, m.username, u.name FROM memberships m "
                + "LEFT JOIN users u ON u.name_key = m.username ORDER BY m.joined_at");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(3);
                members.computeIfAbsent(rs.getString(1), room -> new LinkedHashMap<>())
                        .put(rs.getString(2), name != null ? name : rs.getString(2));
            }
        }
        return members;
    }

    private static Map<String, List<String>> invitations(Connection c) throws SQLException {
        Map<String, List<String>> invited = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT room, username FROM invitations");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                invited.computeIfAbsent(rs.getString(1), room -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        return invited;
    }
}
