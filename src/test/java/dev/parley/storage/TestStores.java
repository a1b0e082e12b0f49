package dev.parley.storage;

import dev.parley.history.MessageStore;
import dev.parley.history.ReadMarkStore;
import dev.parley.identity.UserStore;
import dev.parley.room.RoomStore;
import dev.parley.stats.LiveRates;
import dev.parley.stats.ParleyMetrics;
import dev.parley.storage.writer.StoreWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;

/** The JDBC stores on one database, with threads and a writer of their own, as a node wires them; closed together. */
public final class TestStores implements AutoCloseable {
    private final StoreThreads threads = new StoreThreads(2, 1000);
    private final DataSource dataSource;
    private final StoreWriter writer;

    private TestStores(DataSource dataSource, int batchMax, int queueMax) {
        this.dataSource = dataSource;
        this.writer = new StoreWriter(dataSource, threads.writer(),
                new ParleyMetrics(new SimpleMeterRegistry(), new LiveRates()), batchMax, queueMax);
    }

    /** Stores on a database already migrated. */
    public static TestStores on(DataSource dataSource) {
        return new TestStores(dataSource, 64, 100_000);
    }

    /** Makes or updates the schema the way a node does at start. */
    public static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    public MessageStore messages() {
        return new JdbcMessageStore(dataSource, writer, threads);
    }

    public ReadMarkStore readMarks() {
        return new JdbcReadMarkStore(dataSource, writer, threads);
    }

    public RoomStore rooms() {
        return new JdbcRoomStore(dataSource, writer, threads);
    }

    public UserStore users() {
        return new JdbcUserStore(dataSource, writer, threads);
    }

    @Override
    public void close() {
        threads.close();
    }
}
