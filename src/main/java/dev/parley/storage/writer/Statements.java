package dev.parley.storage.writer;

import java.sql.Connection;
import java.sql.SQLException;

/** JDBC statements without a result, run by the writer in a transaction of their own. */
@FunctionalInterface
public interface Statements {
    void run(Connection c) throws SQLException;
}
