package dev.parley.storage.postgres;

import dev.parley.storage.sql.TableCopy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Moves a team up from the embedded store: copies an embedded SQLite store ({@code parley.db}) into the
 * empty store of the configured database (PostgreSQL) at startup, after its migrations and before anything
 * reads it: accounts and tokens, rooms, memberships, invitations, messages with their seqs, read marks; the
 * rooms' counters are made from the messages. One transaction, checked by counting every table on both
 * sides before it commits; a store that holds data already is left alone, so a second run does nothing.
 * The source is opened read-only and never changed. Blocking: it runs before the store's threads start.
 */
final class EmbeddedStoreImport {
    static final List<String> TABLES =
            List.of("users", "access_tokens", "rooms", "memberships", "invitations", "messages", "read_marks");
    private static final Logger log = LoggerFactory.getLogger(EmbeddedStoreImport.class);

    private final Path source;

    EmbeddedStoreImport(Path source) {
        this.source = source.toAbsolutePath().normalize();
    }

    /** @return rows copied by table, or nothing when the target held data already */
    Map<String, Long> importInto(DataSource target) {
        if (!Files.isRegularFile(source)) {
            throw new IllegalStateException("No embedded store to import at " + source);
        }
        try (Connection from = DriverManager.getConnection("jdbc:sqlite:file:" + source + "?mode=ro");
             Connection to = target.getConnection()) {
            if (TableCopy.holdsData(to, TABLES)) {
                log.info("Not importing {}: this store holds data already (imported before?)", source);
                return Map.of();
            }
            Map<String, Long> copied = copyAll(from, to);
            log.info("Imported the embedded store {}: {}", source, copied);
            return copied;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not import the embedded store " + source + "; nothing was changed", e);
        }
    }

    private static Map<String, Long> copyAll(Connection from, Connection to) throws SQLException {
        return TableCopy.inOneTransaction(to, () -> {
            Map<String, Long> copied = new LinkedHashMap<>();
            for (String table : TABLES) {
                copied.put(table, TableCopy.copy(from, TableCopy.columns(from.getMetaData(), null, table), to, table));
            }
            TableCopy.countersFromMessages(to);
            for (String table : TABLES) {
                long there = TableCopy.count(from, table);
                long here = TableCopy.count(to, table);
                if (there != here) {
                    throw new SQLException(table + ": " + there + " rows in the embedded store, " + here + " copied");
                }
            }
            return copied;
        });
    }
}
