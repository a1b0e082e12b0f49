package dev.parley.storage.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.parley.history.MessageStore;
import dev.parley.protocol.ServerFrame.Message;
import dev.parley.protocol.Visibility;
import dev.parley.room.Room;
import dev.parley.storage.TestStores;
import dev.parley.storage.embedded.EmbeddedDataSourceConfiguration;
import dev.parley.storage.sql.TableCopy;
import dev.parley.support.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;

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

            try (TestStores stores = TestStores.on(postgres)) {
                MessageStore store = stores.messages();
                assertThat(store.append("team", "ann", "after the move", m -> { }).block(WAIT).seq()).isEqualTo(201);
                assertThat(store.history("general", null, 5).block(WAIT)).extracting(Message::seq)
                        .containsExactly(46L, 47L, 48L, 49L, 50L);
            }

            assertThat(new EmbeddedStoreImport(file).importInto(postgres)).as("a second run does nothing").isEmpty();
            try (Connection c = postgres.getConnection()) {
                assertThat(TableCopy.count(c, "messages")).isEqualTo(251);
            }
        }
    }

    /** A store written the way a node writes it: accounts, a room with members, messages, read marks. */
    private Path writeEmbeddedStore() {
        try (HikariDataSource sqlite = EmbeddedDataSourceConfiguration.sqlite(dir.resolve(EmbeddedDataSourceConfiguration.FILE_NAME), 6)) {
            migrate(sqlite);
            try (TestStores stores = TestStores.on(sqlite)) {
                stores.users().register("ann", "Ann", "{noop}x").block(WAIT);
                stores.users().register("bob", "bob", "{noop}y").block(WAIT);
                stores.rooms().create("team", 1L, Visibility.PRIVATE, "ann",
                        Map.of("ann", Room.Member.registered("Ann"), "bob", Room.Member.registered("bob")), () -> { }).block(WAIT);
                MessageStore messages = stores.messages();
                Flux.range(0, 200).concatMap(i -> messages.append("team", "Ann", "m" + i, m -> { })).blockLast(WAIT);
                Flux.range(0, 50).concatMap(i -> messages.append("general", "bob", "g" + i, m -> { })).blockLast(WAIT);
                stores.readMarks().markRead("team", "bob", 150).block(WAIT);
            }
        }
        return dir.resolve(EmbeddedDataSourceConfiguration.FILE_NAME);
    }

    private static void migrate(DataSource dataSource) {
        TestStores.migrate(dataSource);
    }
}
