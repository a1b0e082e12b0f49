package dev.parley.storage.sql;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Copies a store's tables between two databases, column by column, for the one-shot imports. Blocking. */
public final class TableCopy {
    private static final int BATCH = 1000;

    private TableCopy() {
    }

    /** Work on a connection that may fail. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} in one transaction of {@code to}: committed if it returns, rolled back if it fails. */
    public static <T> T inOneTransaction(Connection to, Work<T> work) throws SQLException {
        boolean autoCommit = to.getAutoCommit();
        to.setAutoCommit(false);
        try {
            T result = work.run();
            to.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            to.rollback();
            throw e;
        } finally {
            to.setAutoCommit(autoCommit);
        }
    }

    /** Whether any of the tables holds a row: an import goes only into an empty store. */
    public static boolean holdsData(Connection to, List<String> tables) throws SQLException {
        for (String table : tables) {
            try (PreparedStatement q = to.prepareStatement("SELECT 1 FROM " + table + " LIMIT 1");
                 ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Copies the rows of {@code table} in the columns both sides have ({@code sourceColumns}: the source's, as
     * {@link #columns} finds them there) (a source of an older schema leaves the
     * newer columns null; one without the table copies nothing); timestamps become epoch milliseconds.
     *
     * @return the rows copied
     */
    public static long copy(Connection from, Set<String> sourceColumns, Connection to, String table) throws SQLException {
        List<String> shared = new ArrayList<>();
        for (String column : columns(to.getMetaData(), null, table)) {
            if (sourceColumns.contains(column)) {
                shared.add(column);
            }
        }
        if (shared.isEmpty()) {
            return 0;
        }
        String names = String.join(", ", shared);
        String marks = String.join(", ", shared.stream().map(c -> "?").toList());
        long rows = 0;
        try (PreparedStatement select = from.prepareStatement("SELECT " + names + " FROM " + table);
             PreparedStatement insert = to.prepareStatement("INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                for (int i = 1; i <= shared.size(); i++) {
                    Object value = rs.getObject(i);
                    insert.setObject(i, value instanceof OffsetDateTime time ? time.toInstant().toEpochMilli() : value);
                }
                insert.addBatch();
                if (++rows % BATCH == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
        return rows;
    }

    public static long count(Connection c, String table) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM " + table); ResultSet rs = q.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The rooms' counters, made from their stored messages: each room continues from its last message. */
    public static void countersFromMessages(Connection to) throws SQLException {
        try (PreparedStatement counters = to.prepareStatement(
                "INSERT INTO room_seqs (room, last_seq) SELECT room, MAX(seq) FROM messages GROUP BY room")) {
            counters.executeUpdate();
        }
    }

    /** Column names in lower case, in the table's order; none for a table the database does not have. */
    public static Set<String> columns(DatabaseMetaData meta, String schema, String table) throws SQLException {
        Set<String> columns = new LinkedHashSet<>();
        try (ResultSet rs = meta.getColumns(null, schema, table, null)) {
            while (rs.next()) {
                columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return columns;
    }
}
