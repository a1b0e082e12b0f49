package dev.parley.storage;

import dev.parley.account.TokenStore;
import dev.parley.storage.sql.Timestamps;
import dev.parley.storage.writer.StoreWriter;
import reactor.core.publisher.Mono;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import javax.sql.DataSource;

/** {@link TokenStore} over JDBC; writes through the writer's queue, reads on a read thread. */
final class JdbcTokenStore implements TokenStore {
    private final DataSource dataSource;
    private final StoreWriter writer;
    private final StoreThreads threads;

    JdbcTokenStore(DataSource dataSource, StoreWriter writer, StoreThreads threads) {
        this.dataSource = dataSource;
        this.writer = writer;
        this.threads = threads;
    }

    @Override
    public Mono<Void> save(String tokenHash, String userKey, Instant expiresAt) {
        return writer.write(c -> {
            long now = Timestamps.nowMillis();
            try (PreparedStatement expired = c.prepareStatement(
                    "DELETE FROM access_tokens WHERE username = ? AND expires_at < ?")) {
                expired.setString(1, userKey);
                expired.setLong(2, now);
                expired.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO access_tokens (token_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, tokenHash);
                insert.setString(2, userKey);
                insert.setLong(3, now);
                insert.setLong(4, expiresAt.toEpochMilli());
                insert.executeUpdate();
            }
        });
    }

    @Override
    public Mono<StoredToken> find(String tokenHash) {
        return threads.read(dataSource, c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT username, expires_at FROM access_tokens WHERE token_hash = ?")) {
                q.setString(1, tokenHash);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next()
                            ? new StoredToken(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)))
                            : null;
                }
            }
        });
    }

    @Override
    public Mono<Void> revoke(String tokenHash) {
        return writer.write(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM access_tokens WHERE token_hash = ?")) {
                delete.setString(1, tokenHash);
                delete.executeUpdate();
            }
        });
    }
}
