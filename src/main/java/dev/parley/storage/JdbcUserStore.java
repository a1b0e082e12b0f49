package dev.parley.storage;

import dev.parley.identity.UserStore;
import dev.parley.storage.sql.Timestamps;
import dev.parley.storage.writer.StoreWriter;
import reactor.core.publisher.Mono;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/** {@link UserStore} over JDBC; records through the writer's queue, reads on a read thread. */
final class JdbcUserStore implements UserStore {
    private final DataSource dataSource;
    private final StoreWriter writer;
    private final StoreThreads threads;

    JdbcUserStore(DataSource dataSource, StoreWriter writer, StoreThreads threads) {
        this.dataSource = dataSource;
        this.writer = writer;
        this.threads = threads;
    }

    @Override
    public Mono<Map<String, KnownUser>> load() {
        return threads.read(dataSource, c -> {
            Map<String, KnownUser> users = new HashMap<>();
            try (PreparedStatement q = c.prepareStatement("SELECT name_key, name, password_hash FROM users");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    users.put(rs.getString(1), new KnownUser(rs.getString(2), rs.getString(3) != null));
                }
            }
            return users;
        });
    }

    @Override
    public Mono<Void> remember(String key, String name) {
        return writer.write(c -> {
            if (!exists(c, key)) {
                insert(c, key, name, null);
            }
        });
    }

    @Override
    public Mono<Void> register(String key, String name, String passwordHash) {
        return writer.write(c -> {
            if (exists(c, key)) {
                throw new SQLException("'" + key + "' is registered already");
            }
            insert(c, key, name, passwordHash);
        });
    }

    @Override
    public Mono<String> passwordHash(String key) {
        return threads.read(dataSource, c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT password_hash FROM users WHERE name_key = ?")) {
                q.setString(1, key);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    private static boolean exists(Connection c, String key) throws SQLException {
        try (PreparedStatement known = c.prepareStatement("SELECT 1 FROM users WHERE name_key = ?")) {
            known.setString(1, key);
            try (ResultSet rs = known.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void insert(Connection c, String key, String name, String passwordHash) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO users (name_key, name, created_at, password_hash) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, key);
            insert.setString(2, name);
            insert.setLong(3, Timestamps.nowMillis());
            insert.setString(4, passwordHash);
            insert.executeUpdate();
        }
    }
}
