package dev.parley.storage.embedded;

import com.zaxxer.hikari.HikariDataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** On a real SQLite file: commits leave their pages in the log, and the checkpointer moves them into the file. */
class WalCheckpointerTests {
    @TempDir
    Path dir;
    private Path file;
    private HikariDataSource dataSource;
    private WalCheckpointer checkpointer;
    /** The writer's commit count as the checkpointer sees it: these tests commit without the writer. */
    private final AtomicLong writerCommits = new AtomicLong();

    @BeforeEach
    void openStore() throws SQLException {
        file = dir.resolve(EmbeddedDataSourceConfiguration.FILE_NAME);
        dataSource = EmbeddedDataSourceConfiguration.sqlite(file, 3);
        checkpointer = new WalCheckpointer(dataSource, writerCommits::get);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(200) NOT NULL)");
        }
    }

    @AfterEach
    void closeStore() throws InterruptedException {
        checkpointer.close();
        dataSource.close();
    }

    @Test
    void commitsDoNotCheckpointThemselvesUntilTheLogIsLarge() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet pages = s.executeQuery("PRAGMA wal_autocheckpoint")) {
            pages.next();
            assertThat(pages.getInt(1)).isEqualTo(WalCheckpointer.WRITER_CHECKPOINT_PAGES);
        }
        commitOneByOne(300);

        // SQLite's default would have copied the log into the file after 1,000 pages; nothing is copied yet
        assertThat(fileBytes()).isLessThan(databaseBytes());
    }

    @Test
    void aCheckpointMovesEveryCommittedPageIntoTheFile() throws SQLException {
        commitOneByOne(300);

        checkpointer.checkpoint();

        assertThat(fileBytes()).isEqualTo(databaseBytes());
    }

    @Test
    void aRoundWithoutNewCommitsDoesNotCheckpoint() throws SQLException {
        commitOneByOne(100);
        checkpointer.round();
        assertThat(fileBytes()).isEqualTo(databaseBytes());

        // committed, but not counted by the writer this time: as far as the rounds know, nothing is new
        commitOneByOne(100);
        writerCommits.addAndGet(-100);
        checkpointer.round();
        assertThat(fileBytes()).isLessThan(databaseBytes());

        writerCommits.incrementAndGet();
        checkpointer.round();
        assertThat(fileBytes()).isEqualTo(databaseBytes());
    }

    @Test
    void startedItCheckpointsInRoundsAndStartsAgainAfterAStop() throws SQLException {
        checkpointer.start();
        commitOneByOne(100);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fileBytes() == databaseBytes());

        // a paused test context stops it and starts it again
        checkpointer.stop();
        assertThat(checkpointer.isRunning()).isFalse();
        checkpointer.start();
        commitOneByOne(100);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fileBytes() == databaseBytes());
    }

    /** One commit per row, as the writer does when messages come one at a time. */
    private void commitOneByOne(int rows) throws SQLException {
        writerCommits.addAndGet(rows);
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO notes (body) VALUES (?)")) {
            for (int i = 0; i < rows; i++) {
                insert.setString(1, "note " + i + " " + "x".repeat(150));
                insert.executeUpdate();
            }
        }
    }

    /** The database's size as its connections see it, the log included. */
    private long databaseBytes() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            return single(s, "PRAGMA page_count") * single(s, "PRAGMA page_size");
        }
    }

    private static long single(Statement statement, String pragma) throws SQLException {
        try (ResultSet result = statement.executeQuery(pragma)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** The database file itself, without the log. */
    private long fileBytes() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
