package dev.parley.history;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Brings the embedded store of builds before SQLite (H2, {@code parley.mv.db} in the data directory) into the
 * new one at the first start, so an upgrade loses no message, account or room. All tables go in one
 * transaction; once it is committed the H2 file is renamed to {@code parley.mv.db.imported}, so it is imported
 * once and kept until its owner deletes it. A failed import stops the start and leaves both stores as they were.
 * <p>
 * Every H2 schema version is read (columns added later are left null) and H2's timestamps become the epoch
 * milliseconds the store keeps now.
 */
final class LegacyH2Import {
    static final String H2_FILE = "parley.mv.db";
    static final String IMPORTED = "parley.mv.db.imported";
    /** Every table of the old schema: none refers to another, so the order only makes the log readable. */
    private static final List<String> TABLES =
            List.of("users", "rooms", "memberships", "invitations", "messages", "read_marks", "access_tokens");
    private static final int BATCH = 1000;
    private static final Logger log = LoggerFactory.getLogger(LegacyH2Import.class);

    private final Path dataDir;

    LegacyH2Import(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Blocking: runs at startup, before the store's threads do anything. */
    void importInto(DataSource target) {
        Path legacy = dataDir.resolve(H2_FILE);
        if (!Files.exists(legacy)) {
            return;
        }
        try (Connection from = DriverManager.getConnection(
                     "jdbc:h2:file:" + dataDir.resolve("parley") + ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE", "sa", "");
             Connection to = target.getConnection()) {
            if (holdsData(to)) {
                log.warn("Not importing {}: the store {} holds data already; move one of them away", legacy,
                        dataDir.resolve(EmbeddedDataSourceConfiguration.FILE_NAME));
                return;
            }
            long rows = copyAll(from, to);
            Files.move(legacy, dataDir.resolve(IMPORTED));
            log.info("Imported {} rows from the H2 store {}; it is kept as {}", rows, legacy, IMPORTED);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not import the H2 store " + legacy + "; both stores are unchanged", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Imported " + legacy + " but could not rename it to " + IMPORTED, e);
        }
    }

    private static boolean holdsData(Connection to) throws SQLException {
        for (String table : TABLES) {
            try (PreparedStatement q = to.prepareStatement("SELECT 1 FROM " + table + " LIMIT 1");
                 ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long copyAll(Connection from, Connection to) throws SQLException {
        to.setAutoCommit(false);
        try {
            long rows = 0;
            for (String table : TABLES) {
                rows += copy(from, to, table);
            }
            // the rooms' counters, which the old schema did not keep: each continues from its last message
            try (PreparedStatement counters = to.prepareStatement(
                    "INSERT INTO room_seqs (room, last_seq) SELECT room, MAX(seq) FROM messages GROUP BY room")) {
                counters.executeUpdate();
            }
            to.commit();
            return rows;
        } catch (SQLException | RuntimeException e) {
            to.rollback();
            throw e;
        } finally {
            to.setAutoCommit(true);
        }
    }

    /** Copies the columns both schemas have; a table the old schema lacks is skipped. */
    private static long copy(Connection from, Connection to, String table) throws SQLException {
        Set<String> legacyColumns = columns(from.getMetaData(), "PUBLIC", table.toUpperCase(Locale.ROOT));
        List<String> shared = new ArrayList<>();
        for (String column : columns(to.getMetaData(), null, table)) {
            if (legacyColumns.contains(column)) {
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

    /** Column names in lower case, in the table's order. */
    private static Set<String> columns(DatabaseMetaData meta, String schema, String table) throws SQLException {
        Set<String> columns = new LinkedHashSet<>();
        try (ResultSet rs = meta.getColumns(null, schema, table, null)) {
            while (rs.next()) {
                columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return columns;
    }
}
