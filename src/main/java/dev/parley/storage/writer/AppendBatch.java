package dev.parley.storage.writer;

import dev.parley.protocol.ServerFrame.Message;
import dev.parley.storage.sql.Timestamps;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The appends gathered for one transaction (group commit): the database numbers them ({@link RoomSeqs}) and
 * they are inserted together, so ingest costs one commit per batch, not per message. Writer thread only.
 */
final class AppendBatch {
    private static final String INSERT =
            "INSERT INTO messages (room, seq, sender, body, created_at) VALUES (?, ?, ?, ?, ?)";

    private final int max;
    /** One list for the writer's life: a new one per batch was a fifth of the writer's garbage at one message a batch. */
    private final List<Pending.Append> appends = new ArrayList<>();
    /** How many messages of each room the batch holds, in room order (the order counters are locked in). */
    private final SortedMap<String, Integer> roomCounts = new TreeMap<>();

    AppendBatch(int max) {
        this.max = max;
    }

    /** Adds an append; true when the batch is now full and must be stored before the next. */
    boolean add(Pending.Append append) {
        appends.add(append);
        return appends.size() == max;
    }

    boolean isEmpty() {
        return appends.isEmpty();
    }

    List<Pending.Append> appends() {
        return appends;
    }

    /**
     * Numbers and inserts the batch in the connection's transaction, uncommitted.
     *
     * @return the stored messages, in the batch's order (per room, in increasing seq)
     */
    List<Message> insert(WriterConnection connection) throws SQLException {
        Instant now = Timestamps.now();
        String ts = Timestamps.format(now);
        long created = now.toEpochMilli();
        roomCounts.clear();
        for (Pending.Append append : appends) {
            roomCounts.merge(append.room(), 1, Integer::sum);
        }
        Map<String, Long> nextSeqs = RoomSeqs.take(connection, roomCounts);
        PreparedStatement insert = connection.prepared(INSERT);
        List<Message> stored = new ArrayList<>(appends.size());
        for (Pending.Append append : appends) {
            long seq = nextSeqs.merge(append.room(), 1L, Long::sum) - 1;
            insert.setString(1, append.room());
            insert.setLong(2, seq);
            insert.setString(3, append.from());
            insert.setString(4, append.text());
            insert.setLong(5, created);
            insert.addBatch();
            stored.add(new Message(append.room(), seq, append.from(), append.text(), ts));
        }
        insert.executeBatch();
        return stored;
    }

    void clear() {
        appends.clear();
    }
}
