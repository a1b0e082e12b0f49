package dev.parley.history;

import dev.parley.identity.UserStore;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** {@link UserStore} over JDBC; records through the writer's queue, reads on a read thread. */
final class JdbcUserStore implements UserStore {
    private final DataSource dataSource;
    private final GroupCommitWriter writer;
    private final StoreThreads threads;

    JdbcUserStore(DataSource dataSource, GroupCommitWriter writer, StoreThreads threads) {
        this.dataSource = dataSource;
        this.writer = writer;
        this.threads = threads;
    }

    @Override
    public Mono<Map<String, String>> load() {
        return threads.read(dataSource, c -> {
            Map<String, String> users = new HashMap<>();
            try (PreparedStatement q = c.prepareStatement("SELECT name_key, name FROM users");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    users.put(rs.getString(1), rs.getString(2));
                }
            }
            return users;
        });
    }

    @Override
    public Mono<Void> remember(String key, String name) {
        Sinks.Empty<Void> done = Sinks.empty();
        writer.submit(new GroupCommitWriter.PendingWrite(c -> {
            try (PreparedStatement known = c.prepareStatement("SELECT 1 FROM users WHERE name_key = ?")) {
                known.setString(1, key);
                try (ResultSet rs = known.executeQuery()) {
                    if (rs.next()) {
                        return null;
                    }
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO users (name_key, name, created_at) VALUES (?, ?, ?)")) {
                insert.setString(1, key);
                insert.setString(2, name);
                insert.setObject(3, Timestamps.now().atOffset(ZoneOffset.UTC));
                insert.executeUpdate();
            }
            return null;
        }, null, () -> {
        }, done));
        return done.asMono();
    }
}
