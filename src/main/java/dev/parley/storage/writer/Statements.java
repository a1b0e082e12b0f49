package dev.parley.storage.writer;

import java.sql.Connection;
import java.sql.SQLException;

/** JDBC statements without a result, run by the writer inside its transaction. */
@FunctionalInterface
public interface Statements {
    void run(Connection c) throws SQLException;
}
