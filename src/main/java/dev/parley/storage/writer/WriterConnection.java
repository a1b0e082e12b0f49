package dev.parley.storage.writer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The writer's one JDBC connection, out of auto-commit, with its statements prepared once rather than compiled
 * again for every batch. Opened on first use and dropped after a failure, so the next transaction starts on a
 * fresh connection (the database may have restarted meanwhile). Writer thread only, but for {@link #commits}.
 */
final class WriterConnection {
    private static final Logger log = LoggerFactory.getLogger(WriterConnection.class);

    private final DataSource dataSource;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private Connection connection;
    /** Transactions committed so far: written by the writer thread only, read by the checkpointer. */
    private volatile long commits;

    WriterConnection(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    Connection get() throws SQLException {
        if (connection == null) {
            Connection c = dataSource.getConnection();
            c.setAutoCommit(false);
            connection = c;
        }
        return connection;
    }

    /** {@code sql} prepared on this connection, once per connection (closed with it). */
    PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = get().prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    void commit() throws SQLException {
        connection.commit();
        // one thread writes it: a plain increment of the volatile is safe
        commits++;
    }

    long commits() {
        return commits;
    }

    /** Rolls back and drops the connection: what the transaction did (its seq counters' moves too) never happened. */
    void rollback() {
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException | RuntimeException e) {
                log.debug("Rolling back the writer connection after a failure", e);
            } finally {
                close();
            }
        }
    }

    /** Drops the connection (and its statements, with a batch half added) whatever the driver says. */
    void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException | RuntimeException e) {
                log.debug("Closing the writer connection", e);
            } finally {
                connection = null;
                statements.clear();
            }
        }
    }
}
