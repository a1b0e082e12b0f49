package dev.parley.storage;

import dev.parley.history.MessageStore;
import dev.parley.protocol.ServerFrame.Message;
import dev.parley.storage.sql.JdbcWork;
import dev.parley.storage.sql.Timestamps;
import dev.parley.storage.writer.StoreWriter;
import reactor.core.publisher.Mono;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * {@link MessageStore} over JDBC: appends through the {@link StoreWriter}, reads on
 * the store's read scheduler. The SQL is portable between SQLite and PostgreSQL.
 */
final class JdbcMessageStore implements MessageStore {
    private static final String COLUMNS = "SELECT room, seq, sender, body, created_at FROM messages ";

    private final DataSource dataSource;
    private final StoreWriter writer;
    private final StoreThreads threads;

    JdbcMessageStore(DataSource dataSource, StoreWriter writer, StoreThreads threads) {
        this.dataSource = dataSource;
        this.writer = writer;
        this.threads = threads;
    }

    @Override
    public Mono<Message> append(String room, String from, String text, BooleanSupplier roomExists,
                                Consumer<Message> onCommitted) {
        return writer.append(room, from, text, roomExists, onCommitted);
    }

    @Override
    public Mono<List<Message>> history(String room, Long before, int limit) {
        return read(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    COLUMNS + "WHERE room = ? AND seq < ? ORDER BY seq DESC LIMIT ?")) {
                q.setString(1, room);
                q.setLong(2, before == null ? Long.MAX_VALUE : before);
                q.setInt(3, limit);
                List<Message> newestFirst = messages(q);
                Collections.reverse(newestFirst);
                return newestFirst;
            }
        });
    }

    @Override
    public Mono<List<Message>> after(String room, long after, int limit) {
        return read(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    COLUMNS + "WHERE room = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                q.setString(1, room);
                q.setLong(2, after);
                q.setInt(3, limit);
                return messages(q);
            }
        });
    }

    @Override
    public Mono<Long> lastSeq(String room) {
        return read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT MAX(seq) FROM messages WHERE room = ?")) {
                q.setString(1, room);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public Mono<Map<String, Long>> lastSeqs() {
        return read(c -> {
            Map<String, Long> seqs = new HashMap<>();
            try (PreparedStatement q = c.prepareStatement("SELECT room, last_seq FROM room_seqs");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    seqs.put(rs.getString(1), rs.getLong(2));
                }
            }
            return seqs;
        });
    }

    private static List<Message> messages(PreparedStatement query) throws SQLException {
        List<Message> result = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                result.add(new Message(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        Timestamps.format(rs.getLong(5))));
            }
        }
        return result;
    }

    private <T> Mono<T> read(JdbcWork<T> work) {
        return threads.read(dataSource, work);
    }
}
