package dev.parley.storage;

import com.zaxxer.hikari.HikariDataSource;
import dev.parley.history.MessageStore;
import dev.parley.protocol.ServerFrame.Message;
import dev.parley.support.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database assigns every seq: several writers (each its own store writer, as several nodes would be)
 * append to one hot room and to many rooms at once, and every room holds each seq from 1 to its count
 * exactly once, with its counter at the count. On the embedded SQLite, and on PostgreSQL when there is one.
 */
class SeqAssignmentTests {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int WRITERS = 3;
    private static final int HOT_PER_WRITER = 300;
    private static final int ROOMS = 20;
    private static final int PER_ROOM_PER_WRITER = 10;

    @TempDir
    Path dir;

    @Test
    void onSqliteSeveralWritersTakeEverySeqExactlyOnce() throws Exception {
        try (HikariDataSource sqlite = MessageStoreTests.dataSource(dir)) {
            severalWritersTakeEverySeqExactlyOnce(sqlite);
        }
    }

    @Test
    void onPostgresSeveralWritersTakeEverySeqExactlyOnce() throws Exception {
        try (HikariDataSource postgres = TestPostgres.freshSchema()) {
            severalWritersTakeEverySeqExactlyOnce(postgres);
        }
    }

    private static void severalWritersTakeEverySeqExactlyOnce(DataSource dataSource) throws Exception {
        TestStores.migrate(dataSource);
        List<TestStores> writers = new ArrayList<>();
        Map<String, List<Long>> completionOrder = new ConcurrentHashMap<>();
        List<Mono<Message>> appends = new ArrayList<>();
        try {
            for (int w = 0; w < WRITERS; w++) {
                TestStores own = TestStores.on(dataSource);
                writers.add(own);
                MessageStore store = own.messages();
                String writerName = "w" + w;
                for (int i = 0; i < HOT_PER_WRITER; i++) {
                    appends.add(store.append("hot", writerName, "m" + i, message -> completionOrder
                            .computeIfAbsent(writerName + "/hot", k -> new CopyOnWriteArrayList<>()).add(message.seq())));
                    if (i < ROOMS * PER_ROOM_PER_WRITER) {
                        String room = "room-" + (i % ROOMS);
                        appends.add(store.append(room, writerName, "m" + i, message -> completionOrder
                                .computeIfAbsent(writerName + "/" + room, k -> new CopyOnWriteArrayList<>()).add(message.seq())));
                    }
                }
            }
            List<Message> stored = Flux.merge(Flux.fromIterable(appends), 1024).collectList().block(WAIT);

            Map<String, List<Long>> seqs = stored.stream().collect(Collectors.groupingBy(Message::room,
                    Collectors.mapping(Message::seq, Collectors.toList())));
            assertThat(seqs.get("hot")).containsExactlyInAnyOrderElementsOf(range(WRITERS * HOT_PER_WRITER));
            for (int r = 0; r < ROOMS; r++) {
                assertThat(seqs.get("room-" + r)).containsExactlyInAnyOrderElementsOf(range(WRITERS * PER_ROOM_PER_WRITER));
            }
            completionOrder.forEach((writerAndRoom, order) ->
                    assertThat(order).as("a writer's completions of %s run in seq order", writerAndRoom).isSorted());
            try (Connection c = dataSource.getConnection()) {
                assertThat(count(c, "SELECT COUNT(*) FROM messages WHERE room = 'hot'")).isEqualTo(WRITERS * HOT_PER_WRITER);
                assertThat(count(c, "SELECT last_seq FROM room_seqs WHERE room = 'hot'")).isEqualTo(WRITERS * HOT_PER_WRITER);
                assertThat(count(c, "SELECT COUNT(*) FROM room_seqs")).isEqualTo(ROOMS + 1);
            }
        } finally {
            writers.forEach(TestStores::close);
        }
    }

    private static List<Long> range(int count) {
        return LongStream.rangeClosed(1, count).boxed().toList();
    }

    private static long count(Connection c, String sql) throws Exception {
        try (PreparedStatement q = c.prepareStatement(sql); ResultSet rs = q.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
