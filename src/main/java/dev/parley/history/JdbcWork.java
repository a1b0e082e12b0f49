package dev.parley.history;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of blocking JDBC work on a borrowed connection. */
@FunctionalInterface
interface JdbcWork<T> {
    T apply(Connection connection) throws SQLException;
}
