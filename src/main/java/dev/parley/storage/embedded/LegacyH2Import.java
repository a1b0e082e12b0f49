package dev.parley.storage.embedded;

import dev.parley.storage.sql.TableCopy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

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
            if (TableCopy.holdsData(to, TABLES)) {
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

    private static long copyAll(Connection from, Connection to) throws SQLException {
        return TableCopy.inOneTransaction(to, () -> {
            long rows = 0;
            for (String table : TABLES) {
                // H2 keeps its tables in upper case in the PUBLIC schema
                rows += TableCopy.copy(from, TableCopy.columns(from.getMetaData(), "PUBLIC", table.toUpperCase(Locale.ROOT)),
                        to, table);
            }
            // the rooms' counters, which the old schema did not keep
            TableCopy.countersFromMessages(to);
            return rows;
        });
    }
}
