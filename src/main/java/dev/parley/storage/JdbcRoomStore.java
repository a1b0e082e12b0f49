package dev.parley.storage;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Names;
import dev.parley.protocol.Visibility;
import dev.parley.room.Room;
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
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link RoomStore} over JDBC: writes go through the {@link StoreWriter}'s queue, so they
 * are ordered with message appends; the startup load runs on a read thread. Portable SQL (SQLite and
 * PostgreSQL): no upserts, a delete before each insert that could meet an old row.
 */
final class JdbcRoomStore implements RoomStore {
    /** Empty for the grace period (parameter 1: since before), or claimed and never finished (parameter 2: before). */
    private static final String DELETABLE = "(deleted_at IS NULL AND empty_since IS NOT NULL AND empty_since <= ?) "
            + "OR deleted_at <= ?";
    private final DataSource dataSource;
    private final StoreWriter writer;
    private final StoreThreads threads;

    /** Cluster mode: several nodes share the store. */
    private final boolean shared;

    JdbcRoomStore(DataSource dataSource, StoreWriter writer, StoreThreads threads) {
        this(dataSource, writer, threads, false);
    }

    JdbcRoomStore(DataSource dataSource, StoreWriter writer, StoreThreads threads, boolean shared) {
        this.dataSource = dataSource;
        this.writer = writer;
        this.threads = threads;
        this.shared = shared;
    }

    @Override
    public Mono<List<StoredRoom>> load() {
        return threads.read(dataSource, c -> {
            List<StoredRoom> rooms = new ArrayList<>();
            rooms.add(new StoredRoom(Names.GENERAL, 0, Visibility.PUBLIC, null,
                    lastSeqs(c, Names.GENERAL).getOrDefault(Names.GENERAL, 0L), Map.of(), List.of()));
            if (!shared) {
                // one node: a deletion a crash cut short leaves an empty room like any other, deleted after its grace
                try (PreparedStatement reopen = c.prepareStatement(
                        "UPDATE rooms SET deleted_at = NULL WHERE deleted_at IS NOT NULL")) {
                    reopen.executeUpdate();
                }
            }
            // several nodes: a room being deleted is another node's to finish (or taken over once abandoned)
            rooms.addAll(rooms(c, null, shared));
            return rooms;
        });
    }

    @Override
    public Mono<List<StoredRoom>> current() {
        return threads.read(dataSource, c -> rooms(c, null, true));
    }

    @Override
    public Mono<Optional<StoredRoom>> find(String room) {
        return threads.read(dataSource, c -> rooms(c, room, true).stream().findFirst());
    }

    /**
     * Rooms with their members, invitations and last seqs: all of them, or the one named ({@code only}); with
     * {@code live}, not those being deleted (a startup takes those too: their deletion is finished later).
     */
    private static List<StoredRoom> rooms(Connection c, String only, boolean live) throws SQLException {
        List<StoredRoom> rooms = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        if (only != null) {
            conditions.add("name_key = ?");
        }
        if (live) {
            conditions.add("deleted_at IS NULL");
        }
        String sql = "SELECT name, visibility, created_by, created_at FROM rooms"
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions)) + " ORDER BY name_key";
        try (PreparedStatement q = c.prepareStatement(sql)) {
            if (only != null) {
                q.setString(1, Names.key(only));
            }
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rooms.add(new StoredRoom(rs.getString(1), rs.getLong(4), Visibility.fromWire(rs.getString(2)),
                            rs.getString(3), 0, Map.of(), List.of()));
                }
            }
        }
        // one room: by its stored name; all: every row of each table at once
        String room = only == null || rooms.isEmpty() ? null : rooms.get(0).name();
        Map<String, Long> lastSeqs = lastSeqs(c, room);
        Map<String, Map<String, Room.Member>> members = members(c, room);
        Map<String, List<String>> invited = invitations(c, room);
        return rooms.stream().map(stored -> new StoredRoom(stored.name(), stored.createdAt(), stored.visibility(),
                stored.createdBy(),
                lastSeqs.getOrDefault(stored.name(), 0L), members.getOrDefault(stored.name(), Map.of()),
                invited.getOrDefault(stored.name(), List.of()))).toList();
    }

    @Override
    public Mono<Void> create(String room, long createdAt, Visibility visibility, String createdBy,
                             Map<String, Room.Member> members, Runnable onCommitted) {
        return writer.write(onCommitted, c -> {
            // made on another node, or still being deleted there: the name is taken
            try (PreparedStatement taken = c.prepareStatement("SELECT 1 FROM rooms WHERE name_key = ?")) {
                taken.setString(1, Names.key(room));
                try (ResultSet rs = taken.executeQuery()) {
                    if (rs.next()) {
                        throw new ChatException(ErrorCode.ROOM_EXISTS, "a room named '" + room + "' exists");
                    }
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO rooms (name_key, name, visibility, created_at, created_by) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, Names.key(room));
                insert.setString(2, room);
                insert.setString(3, visibility.wire());
                insert.setLong(4, createdAt);
                insert.setString(5, createdBy);
                insert.executeUpdate();
            }
            for (Map.Entry<String, Room.Member> member : members.entrySet()) {
                insertMember(c, room, member.getKey(), member.getValue(), 0);
            }
        });
    }

    @Override
    public Mono<Void> addMember(String room, String userKey, Room.Member member, long readMark, Runnable onCommitted) {
        return writer.write(onCommitted, c -> {
            // locks the row first: a deletion claimed before is seen, and one claimed after sees this member
            if (update(c, "UPDATE rooms SET empty_since = NULL WHERE name_key = ? AND deleted_at IS NULL",
                    Names.key(room)) == 0) {
                throw new ChatException(ErrorCode.NO_SUCH_ROOM, "no room '" + room + "'");
            }
            update(c, "DELETE FROM invitations WHERE room = ? AND username = ?", room, userKey);
            insertMember(c, room, userKey, member, readMark);
        });
    }

    @Override
    public Mono<Void> removeMember(String room, String userKey, Runnable onCommitted) {
        return writer.write(onCommitted, c -> {
            lock(c, room);
            update(c, "DELETE FROM memberships WHERE room = ? AND username = ?", room, userKey);
            update(c, "DELETE FROM read_marks WHERE room = ? AND username = ?", room, userKey);
            markIfEmpty(c, room);
        });
    }

    @Override
    public Mono<Void> invite(String room, String userKey, String invitedBy, Runnable onCommitted) {
        return writer.write(onCommitted, c -> {
            if (update(c, "UPDATE rooms SET empty_since = empty_since WHERE name_key = ? AND deleted_at IS NULL",
                    Names.key(room)) == 0) {
                throw new ChatException(ErrorCode.NO_SUCH_ROOM, "no room '" + room + "'");
            }
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
    public Mono<List<GuestLeft>> removeGuests(String node, String guestKey) {
        List<GuestLeft> left = new ArrayList<>();
        return writer.writeAlways(() -> { }, c -> {
            left.clear();
            try (PreparedStatement q = c.prepareStatement("SELECT room, username, guest_name FROM memberships "
                    + "WHERE guest_node = ?" + (guestKey == null ? "" : " AND username = ?") + " ORDER BY room")) {
                q.setString(1, node);
                if (guestKey != null) {
                    q.setString(2, guestKey);
                }
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        left.add(new GuestLeft(rs.getString(1), rs.getString(2), rs.getString(3), false));
                    }
                }
            }
            // in name order, like every writer that locks several rows
            for (int i = 0; i < left.size(); i++) {
                GuestLeft guest = left.get(i);
                lock(c, guest.room());
                update(c, "DELETE FROM memberships WHERE room = ? AND username = ?", guest.room(), guest.userKey());
                if (Names.isConversation(guest.room())) {
                    left.set(i, new GuestLeft(guest.room(), guest.userKey(), guest.name(), claimNow(c, guest.room())));
                } else {
                    markIfEmpty(c, guest.room());
                }
            }
        }).then(Mono.fromCallable(() -> List.copyOf(left)));
    }

    /** Claims a room for deletion now, unless it is claimed already: true for the one claim that takes it. */
    private static boolean claimNow(Connection c, String room) throws SQLException {
        try (PreparedStatement claim = c.prepareStatement(
                "UPDATE rooms SET deleted_at = ? WHERE name_key = ? AND deleted_at IS NULL")) {
            claim.setLong(1, Timestamps.nowMillis());
            claim.setString(2, Names.key(room));
            return claim.executeUpdate() == 1;
        }
    }

    @Override
    public Mono<List<String>> deletable(long emptyBefore, long claimedBefore) {
        return threads.read(dataSource, c -> {
            List<String> rooms = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT name FROM rooms WHERE " + DELETABLE)) {
                q.setLong(1, emptyBefore);
                q.setLong(2, claimedBefore);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        rooms.add(rs.getString(1));
                    }
                }
            }
            return rooms;
        });
    }

    @Override
    public Mono<Boolean> claim(String room, long emptyBefore, long claimedBefore) {
        boolean[] claimed = {false};
        // the condition reads the row's own columns only: a claim waiting on a join's lock re-reads them after it
        return writer.write(c -> {
            try (PreparedStatement claim = c.prepareStatement(
                    "UPDATE rooms SET deleted_at = ? WHERE name_key = ? AND (" + DELETABLE + ")")) {
                claim.setLong(1, Timestamps.nowMillis());
                claim.setString(2, Names.key(room));
                claim.setLong(3, emptyBefore);
                claim.setLong(4, claimedBefore);
                claimed[0] = claim.executeUpdate() == 1;
            }
        }).then(Mono.fromCallable(() -> claimed[0]));
    }

    @Override
    public Mono<Void> delete(String room, Runnable onCommitted) {
        // members, invitations and read marks now; the messages in chunks after, and the room's row with the last
        return writer.deleteRoom(room, onCommitted, c -> {
            try (PreparedStatement claim = c.prepareStatement("UPDATE rooms SET deleted_at = ? WHERE name_key = ?")) {
                claim.setLong(1, Timestamps.nowMillis());
                claim.setString(2, Names.key(room));
                claim.executeUpdate();
            }
            for (String table : List.of("read_marks", "memberships", "invitations")) {
                update(c, "DELETE FROM " + table + " WHERE room = ?", room);
            }
        }, c -> {
            // and again: a node that had not heard of the deletion may have added to them meanwhile
            for (String table : List.of("read_marks", "memberships", "invitations")) {
                update(c, "DELETE FROM " + table + " WHERE room = ?", room);
            }
            // a room of this name made later starts again at seq 1
            update(c, "DELETE FROM room_seqs WHERE room = ?", room);
            update(c, "DELETE FROM rooms WHERE name_key = ?", Names.key(room));
        });
    }

    /**
     * Locks the room's row for the transaction: every membership change takes it first, so the changes of one
     * room, from any node, happen one after another, and each statement after it sees the ones before.
     */
    private static void lock(Connection c, String room) throws SQLException {
        update(c, "UPDATE rooms SET empty_since = empty_since WHERE name_key = ?", Names.key(room));
    }

    /** Starts the grace period of a room left without members (a conversation keeps its history: never). Lock first. */
    private static void markIfEmpty(Connection c, String room) throws SQLException {
        if (Names.isConversation(room)) {
            return;
        }
        try (PreparedStatement mark = c.prepareStatement("UPDATE rooms SET empty_since = ? WHERE name_key = ? "
                + "AND empty_since IS NULL AND deleted_at IS NULL "
                + "AND NOT EXISTS (SELECT 1 FROM memberships WHERE room = ?)")) {
            mark.setLong(1, Timestamps.nowMillis());
            mark.setString(2, Names.key(room));
            mark.setString(3, room);
            mark.executeUpdate();
        }
    }

    private static void insertMember(Connection c, String room, String userKey, Room.Member member, long readMark)
            throws SQLException {
        // a member already (a join through two nodes at once): the later one stands
        update(c, "DELETE FROM memberships WHERE room = ? AND username = ?", room, userKey);
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO memberships (room, username, joined_at, guest_node, guest_name) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, room);
            insert.setString(2, userKey);
            insert.setLong(3, Timestamps.nowMillis());
            insert.setString(4, member.guestNode());
            insert.setString(5, member.guest() ? member.name() : null);
            insert.executeUpdate();
        }
        if (member.guest()) {
            // a guest's unread counts start fresh with every connection: it has no marks
            return;
        }
        // a new member's read mark starts where the room is: older history is readable, not unread
        update(c, "DELETE FROM read_marks WHERE room = ? AND username = ?", room, userKey);
        JdbcReadMarkStore.insert(c, room, userKey, readMark);
    }

    private static int update(Connection c, String sql, String... values) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setString(i + 1, values[i]);
            }
            return statement.executeUpdate();
        }
    }

    /** The rooms' counters (the database's: see RoomSeqs), of one room or of all ({@code room} null). */
    private static Map<String, Long> lastSeqs(Connection c, String room) throws SQLException {
        Map<String, Long> seqs = new HashMap<>();
        try (PreparedStatement q = byRoom(c, "SELECT room, last_seq FROM room_seqs", room);
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                seqs.put(rs.getString(1), rs.getLong(2));
            }
        }
        return seqs;
    }

    /** {@code select}, narrowed to one room's rows unless {@code room} is null; its room column must be {@code room}. */
    private static PreparedStatement byRoom(Connection c, String select, String room) throws SQLException {
        if (room == null) {
            return c.prepareStatement(select);
        }
        PreparedStatement q = c.prepareStatement(select + " WHERE room = ?");
        q.setString(1, room);
        return q;
    }

    /** Members by room, each with the name as the user spells it (its key if unknown), guests with their node. */
    private static Map<String, Map<String, Room.Member>> members(Connection c, String room) throws SQLException {
        Map<String, Map<String, Room.Member>> members = new HashMap<>();
        try (PreparedStatement q = byRoom(c, "SELECT m.room, m.username, u.name, m.guest_node, m.guest_name "
                + "FROM memberships m LEFT JOIN users u ON u.name_key = m.username", room);
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                String key = rs.getString(2);
                String node = rs.getString(4);
                String name = node != null ? rs.getString(5) : rs.getString(3);
                members.computeIfAbsent(rs.getString(1), stored -> new LinkedHashMap<>())
                        .put(key, new Room.Member(name != null ? name : key, node));
            }
        }
        return members;
    }

    private static Map<String, List<String>> invitations(Connection c, String room) throws SQLException {
        Map<String, List<String>> invited = new HashMap<>();
        try (PreparedStatement q = byRoom(c, "SELECT room, username FROM invitations", room);
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                invited.computeIfAbsent(rs.getString(1), name -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        return invited;
    }
}
