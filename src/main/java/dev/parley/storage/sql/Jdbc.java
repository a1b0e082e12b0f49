package dev.parley.storage.sql;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Runs {@link JdbcWork} on a pooled connection; failures reach callers as {@code internal}, details go to the log. */
public final class Jdbc {
    private static final Logger log = LoggerFactory.getLogger(Jdbc.class);

    private Jdbc() {
    }

    /** Blocking: call only on a store thread. */
    public static <T> T call(DataSource dataSource, JdbcWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            log.error("Store read failed", e);
            throw new ChatException(ErrorCode.INTERNAL, "the store could not answer");
        }
    }
}
