package dev.parley.history;

import com.zaxxer.hikari.HikariDataSource;
import dev.parley.protocol.ServerFrame.Message;
import dev.parley.protocol.Visibility;
import dev.parley.room.RoomStore;
import dev.parley.stats.LiveRates;
import dev.parley.stats.ParleyMetrics;
import dev.parley.support.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An embedded store copied into an empty PostgreSQL once: every table, counted on both sides; seqs go on
 * where they stopped; a second import does nothing.
 */
class EmbeddedStoreImportTests {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void anEmbeddedStoreIsCopiedIntoAnEmptyPostgresOnceAndItsSeqsGoOn() throws Exception {
        try (HikariDataSource postgres = TestPostgres.freshSchema()) {
            Path file = writeEmbeddedStore();
            migrate(postgres);

            Map<String, Long> copied = new EmbeddedStoreImport(file).importInto(postgres);
            assertThat(copied).containsEntry("messages", 250L).containsEntry("rooms", 1L)
                    .containsEntry("memberships", 2L).containsEntry("users", 2L);
            try (Connection c = postgres.getConnection()) {
                assertThat(TableCopy.count(c, "room_seqs")).isEqualTo(2);
            }

            StoreThreads threads = new StoreThreads(2, 100);
            try {
                GroupCommitWriter writer = new GroupCommitWriter(postgres, threads.writer(),
                        new ParleyMetrics(new SimpleMeterRegistry(), new LiveRates()), 64, 1000);
                MessageStore store = new JdbcMessageStore(postgres, writer, threads);
                assertThat(store.append("team", "ann", "after the move", m -> { }).block(WAIT).seq()).isEqualTo(201);
                assertThat(store.history("general", null, 5).block(WAIT)).extracting(Message::seq)
                        .containsExactly(46L, 47L, 48L, 49L, 50L);
            } finally {
                threads.close();
            }

            assertThat(new EmbeddedStoreImport(file).importInto(postgres)).as("a second run does nothing").isEmpty();
            try (Connection c = postgres.getConnection()) {
                assertThat(TableCopy.count(c, "messages")).isEqualTo(251);
            }
        }
    }

    /** A store written the way a node writes it: accounts, a room with members, messages, read marks. */
    private Path writeEmbeddedStore() {
        try (HikariDataSource sqlite = MessageStoreTests.dataSource(dir)) {
            migrate(sqlite);
            StoreThreads threads = new StoreThreads(2, 100);
            try {
                GroupCommitWriter writer = new GroupCommitWriter(sqlite, threads.writer(),
                        new ParleyMetrics(new SimpleMeterRegistry(), new LiveRates()), 64, 10_000);
                new JdbcUserStore(sqlite, writer, threads).register("ann", "Ann", "{noop}x").block(WAIT);
                new JdbcUserStore(sqlite, writer, threads).register("bob", "bob", "{noop}y").block(WAIT);
                RoomStore rooms = new JdbcRoomStore(sqlite, writer, threads);
                rooms.create("team", Visibility.PRIVATE, "ann", List.of("ann", "bob"), () -> { }).block(WAIT);
                MessageStore messages = new JdbcMessageStore(sqlite, writer, threads);
                Flux.range(0, 200).concatMap(i -> messages.append("team", "Ann", "m" + i, m -> { })).blockLast(WAIT);
                Flux.range(0, 50).concatMap(i -> messages.append("general", "bob", "g" + i, m -> { })).blockLast(WAIT);
                new JdbcReadMarkStore(sqlite, writer, threads).markRead("team", "bob", 150).block(WAIT);
            } finally {
                threads.close();
            }
        }
        return dir.resolve(EmbeddedDataSourceConfiguration.FILE_NAME);
    }

    private static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }
}
