package dev.parley.storage.sql;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of blocking JDBC work on a borrowed connection. */
@FunctionalInterface
public interface JdbcWork<T> {
    T apply(Connection connection) throws SQLException;
}
