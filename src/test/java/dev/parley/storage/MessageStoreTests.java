package dev.parley.storage;

import com.zaxxer.hikari.HikariDataSource;
import dev.parley.history.MessageStore;
import dev.parley.history.ReadMarkStore;
import dev.parley.limits.RoomQuota;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame.Message;
import dev.parley.protocol.Visibility;
import dev.parley.room.Room;
import dev.parley.room.RoomRegistry;
import dev.parley.room.RoomStore;
import dev.parley.stats.LiveRates;
import dev.parley.stats.MeterNames;
import dev.parley.stats.ParleyMetrics;
import dev.parley.storage.embedded.EmbeddedDataSourceConfiguration;
import dev.parley.storage.writer.StoreWriter;
import dev.parley.support.TestProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The durable log on the real embedded SQLite with the real migrations. */
class MessageStoreTests {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final java.util.function.Consumer<Message> NOTHING = m -> { };

    @TempDir
    Path dir;

    private HikariDataSource dataSource;
    private StoreThreads threads;
    private SimpleMeterRegistry meters;
    private StoreWriter writer;
    private MessageStore store;
    private ReadMarkStore readMarks;

    @BeforeEach
    void open() {
        dataSource = dataSource(dir);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        threads = new StoreThreads(4, 1000);
        meters = new SimpleMeterRegistry();
        writer = new StoreWriter(dataSource, threads.writer(),
                new ParleyMetrics(meters, new LiveRates()), 512, 100_000);
        store = new JdbcMessageStore(dataSource, writer, threads);
        readMarks = new JdbcReadMarkStore(dataSource, writer, threads);
    }

    @AfterEach
    void close() {
        threads.close();
        dataSource.close();
    }

    static HikariDataSource dataSource(Path dir) {
        return EmbeddedDataSourceConfiguration.sqlite(dir.resolve(EmbeddedDataSourceConfiguration.FILE_NAME), 6);
    }

    @Test
    void aMessageWhoseRoomIsGoneWhenItsTurnComesIsNotStored() {
        store.append("gone", "u", "before", NOTHING).block(WAIT);
        List<Message> published = new CopyOnWriteArrayList<>();

        StepVerifier.create(store.append("gone", "u", "too late", () -> false, published::add))
                .expectErrorSatisfies(e -> assertThat(((ChatException) e).code()).isEqualTo(ErrorCode.NO_SUCH_ROOM))
                .verify(WAIT);

        assertThat(published).isEmpty();
        assertThat(store.history("gone", null, 10).block(WAIT)).extracting(Message::text).containsExactly("before");
        assertThat(store.append("gone", "u", "next", NOTHING).block(WAIT).seq()).as("no seq was taken").isEqualTo(2);
    }

    @Test
    void concurrentAppendsGetGapFreeSeqsPerRoomCompletedInOrder() throws Exception {
        Map<String, List<Long>> completionOrder = new ConcurrentHashMap<>();
        ExecutorService senders = Executors.newFixedThreadPool(8);
        List<Mono<Message>> appends = new CopyOnWriteArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            senders.submit(() -> {
                for (int i = 0; i < 250; i++) {
                    String room = (i % 2 == 0) ? "even" : "odd";
                    appends.add(store.append(room, "sender" + thread, "m" + i,
                                    m -> completionOrder.computeIfAbsent(room, r -> new CopyOnWriteArrayList<>()).add(m.seq()))
                            .cache());
                }
            });
        }
        senders.shutdown();
        assertThat(senders.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        List<Message> stored = Flux.merge(appends).collectList().block(WAIT);

        Map<String, List<Long>> seqs = stored.stream().collect(Collectors.groupingBy(Message::room,
                Collectors.mapping(Message::seq, Collectors.toList())));
        for (String room : List.of("even", "odd")) {
            assertThat(seqs.get(room)).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 1000).boxed().toList());
            assertThat(completionOrder.get(room)).as("on-commit callbacks of a room run in seq order").isSorted();
        }
    }

    @Test
    void aDeletedRoomsMessagesGoInChunksBetweenOtherWorkAndItsNameStaysTakenUntilTheyAreGone() throws Exception {
        RoomStore rooms = new JdbcRoomStore(dataSource, writer, threads);
        RoomRegistry registry = new RoomRegistry(rooms, new RoomQuota(TestProperties.defaults(),
                new ParleyMetrics(new SimpleMeterRegistry(), new LiveRates())));
        Room big = new Room("big", Visibility.PUBLIC, 0);
        assertThat(registry.add(big)).isTrue();
        rooms.create("big", 1L, Visibility.PUBLIC, null, Map.of(), () -> { }).block(WAIT);
        int count = StoreWriter.PURGE_CHUNK * 2 + 100;
        Flux.range(0, count).flatMap(i -> store.append("big", "u", "m" + i, NOTHING), 256).blockLast(WAIT);

        // the writer is held while the deletion and a message elsewhere queue up behind it
        CountDownLatch held = new CountDownLatch(1);
        holdWriter(held);
        List<String> order = new CopyOnWriteArrayList<>();
        AtomicBoolean nameFreeWhenTold = new AtomicBoolean();
        synchronized (big) {
            registry.remove(big, () -> rooms.delete("big", () -> {
                nameFreeWhenTold.set(registry.add(new Room("big", Visibility.PUBLIC, 0, null)));
                order.add("big deleted");
            }));
        }
        CompletableFuture<Message> meanwhile = store.append("other", "u", "meanwhile", m -> order.add("other stored"))
                .toFuture();
        assertThat(registry.add(new Room("big", Visibility.PUBLIC, 0, null))).as("name taken while purging").isFalse();
        held.countDown();

        meanwhile.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Awaitility.await().atMost(WAIT).until(() -> order.contains("big deleted"));
        assertThat(order).containsExactly("other stored", "big deleted");
        assertThat(nameFreeWhenTold).isTrue();
        assertThat(store.history("big", null, 10).block(WAIT)).isEmpty();
        assertThat(rooms.load().block(WAIT)).extracting(RoomStore.StoredRoom::name).doesNotContain("big");
        // a room of the name starts again at seq 1
        assertThat(store.append("big", "u", "again", NOTHING).block(WAIT).seq()).isEqualTo(1);
    }

    @Test
    void atShutdownAPurgeUnderWayWaitsWithoutHoldingLaterWritesAndGoesOnWhenStartedAgain() throws Exception {
        RoomStore rooms = new JdbcRoomStore(dataSource, writer, threads);
        StoreShutdown lifecycle = new StoreShutdown(writer, threads);
        lifecycle.start();
        rooms.create("big", 1L, Visibility.PUBLIC, null, Map.of(), () -> { }).block(WAIT);
        int count = StoreWriter.PURGE_CHUNK * 2 + 100;
        Flux.range(0, count).flatMap(i -> store.append("big", "u", "m" + i, NOTHING), 256).blockLast(WAIT);

        CountDownLatch held = new CountDownLatch(1);
        holdWriter(held);
        CompletableFuture<Void> deleted = rooms.delete("big", () -> { }).toFuture();
        // the flag first, so that the held writer meets the deletion already stopped
        writer.stopPurging();
        held.countDown();
        // returns once the queued writes are done (it waits for a task queued behind them), not the purge
        lifecycle.stop();

        assertThat(deleted).isNotDone();
        assertThat(rooms.load().block(WAIT)).extracting(RoomStore.StoredRoom::name).contains("big");

        // started again (Spring's test framework pauses idle contexts and restarts them): the purge goes on
        lifecycle.start();
        deleted.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(rooms.load().block(WAIT)).extracting(RoomStore.StoredRoom::name).doesNotContain("big");
        assertThat(store.history("big", null, 10).block(WAIT)).isEmpty();
    }

    /**
     * Holds the writer in queue order (a write that waits for the latch): work submitted after it waits too. A
     * task handed to the writer's thread directly could run after a drain that is still looping had taken that
     * work already.
     */
    private void holdWriter(CountDownLatch held) {
        writer.write(c -> awaitQuietly(held)).subscribe();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aStoredMessageIsPublishedEvenWhenItsSenderCancelled() {
        List<Long> published = new CopyOnWriteArrayList<>();

        store.append("r", "u", "sent, then the sender vanished", m -> published.add(m.seq())).subscribe().dispose();
        store.append("r", "u", "next", m -> published.add(m.seq())).block(WAIT);

        assertThat(published).containsExactly(1L, 2L);
    }

    @Test
    void appendsWaitingTogetherShareOneTransaction() {
        List<Mono<Message>> appends = LongStream.range(0, 2000)
                .mapToObj(i -> store.append("general", "bulk", "m" + i, NOTHING).cache()).toList();
        appends.forEach(Mono::subscribe);

        Flux.merge(appends).blockLast(WAIT);

        assertThat(meters.get(MeterNames.STORE_BATCH_SIZE).summary().max()).isGreaterThan(1);
        assertThat(meters.get(MeterNames.STORE_BATCH_SIZE).summary().count()).isLessThan(2000);
        assertThat(meters.get(MeterNames.MESSAGES_STORED).counter().count()).isEqualTo(2000);
    }

    @Test
    void historyAndReplayPagesReadTheLogInSeqOrder() {
        Flux.range(1, 10).concatMap(i -> store.append("r", "u", "t" + i, NOTHING)).blockLast(WAIT);

        StepVerifier.create(store.history("r", 8L, 3))
                .assertNext(page -> assertThat(page).extracting(Message::seq).containsExactly(5L, 6L, 7L))
                .verifyComplete();
        StepVerifier.create(store.history("r", null, 2))
                .assertNext(page -> assertThat(page).extracting(Message::text).containsExactly("t9", "t10"))
                .verifyComplete();
        StepVerifier.create(store.after("r", 7, 100))
                .assertNext(page -> assertThat(page).extracting(Message::seq).containsExactly(8L, 9L, 10L))
                .verifyComplete();
        StepVerifier.create(store.lastSeq("r")).expectNext(10L).verifyComplete();
        StepVerifier.create(store.lastSeq("empty")).expectNext(0L).verifyComplete();
    }

    @Test
    void seqContinuesAfterTheStoreIsReopened() {
        Flux.range(1, 5).concatMap(i -> store.append("r", "u", "before " + i, NOTHING)).blockLast(WAIT);
        close();

        open();

        StepVerifier.create(store.append("r", "u", "after", NOTHING)).assertNext(m -> assertThat(m.seq()).isEqualTo(6))
                .verifyComplete();
    }

    @Test
    void aSaturatedWriterRefusesWithRateLimitedInsteadOfQueueingWithoutBound() {
        // a writer thread that never gets to run: submissions pile up to the bound
        StoreWriter stuck = new StoreWriter(dataSource, task -> { }, new ParleyMetrics(meters, new LiveRates()), 512, 2);
        MessageStore bounded = new JdbcMessageStore(dataSource, stuck, threads);
        bounded.append("r", "u", "one", NOTHING).subscribe();
        bounded.append("r", "u", "two", NOTHING).subscribe();

        StepVerifier.create(bounded.append("r", "u", "three", NOTHING))
                .expectErrorSatisfies(e -> assertThat(((ChatException) e).code()).isEqualTo(ErrorCode.RATE_LIMITED))
                .verify(WAIT);
        // read marks share the bound: a client can send them as fast as messages
        StepVerifier.create(new JdbcReadMarkStore(dataSource, stuck, threads).markRead("r", "u", 1))
                .expectErrorSatisfies(e -> assertThat(((ChatException) e).code()).isEqualTo(ErrorCode.RATE_LIMITED))
                .verify(WAIT);
        // so do room writes, refused at the call with nothing submitted, before the caller changes anything
        RoomStore rooms = new JdbcRoomStore(dataSource, stuck, threads);
        assertThatThrownBy(() -> rooms.create("new", 1L, Visibility.PUBLIC, "u", Map.of("u", Room.Member.registered("u")), () -> { }))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED));
        assertThatThrownBy(() -> rooms.addMember("r", "v", Room.Member.registered("v"), 0, () -> { }))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED));
        assertThat(stuck.queued()).as("nothing more was queued").isEqualTo(2);
    }

    @Test
    void unreadCountsStandWhenTheWriterRefusesTheFirstMarks() {
        store.append("r", "u", "one", NOTHING).block(WAIT);
        readMarks.markRead("r", "ann", 0).block(WAIT);
        store.append("r", "u", "two", NOTHING).block(WAIT);
        // a writer with no room left: the first mark for room "s" is refused as busy
        StoreWriter full = new StoreWriter(dataSource, task -> { }, new ParleyMetrics(meters, new LiveRates()), 512, 1);
        new JdbcMessageStore(dataSource, full, threads).append("r", "u", "waits", NOTHING).subscribe();
        ReadMarkStore marks = new JdbcReadMarkStore(dataSource, full, threads);

        StepVerifier.create(marks.unread("ann", Map.of("r", 2L, "s", 0L)))
                .expectNext(Map.of("r", 2L, "s", 0L))
                .verifyComplete();
    }

    @Test
    void aReadMarkThatCannotBeStoredGivesItsPlaceInTheBoundBack() {
        HikariDataSource closed = dataSource(dir);
        closed.close();
        StoreWriter failing = new StoreWriter(closed, threads.writer(),
                new ParleyMetrics(meters, new LiveRates()), 512, 1);
        ReadMarkStore marks = new JdbcReadMarkStore(closed, failing, threads);

        for (int i = 0; i < 3; i++) {
            StepVerifier.create(marks.markRead("r", "u", 1))
                    .expectErrorSatisfies(e -> assertThat(((ChatException) e).code()).isEqualTo(ErrorCode.INTERNAL))
                    .verify(WAIT);
        }
        assertThat(failing.queued()).as("no place is lost to a failure").isZero();
    }

    @Test
    void aReadMarkTakesItsPlaceInTheBoundOnlyUntilItsTurn() {
        StoreWriter small = new StoreWriter(dataSource, threads.writer(),
                new ParleyMetrics(meters, new LiveRates()), 512, 1);
        ReadMarkStore marks = new JdbcReadMarkStore(dataSource, small, threads);

        for (long seq = 1; seq <= 3; seq++) {
            marks.markRead("r", "u", seq).block(WAIT);
        }
        assertThat(small.queued()).isZero();
        StepVerifier.create(marks.unread("r", "u", 3)).expectNext(0L).verifyComplete();
    }

    @Test
    void aFailedCommitIsReportedAsInternalAndLeavesNoGap() throws Exception {
        store.append("r", "u", "fine", NOTHING).block(WAIT);
        // a real failure inside the engine, in the middle of the writer's transaction
        try (Connection c = dataSource.getConnection(); Statement ddl = c.createStatement()) {
            ddl.execute("CREATE TRIGGER refuse BEFORE INSERT ON messages WHEN NEW.body = 'refused' "
                    + "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
        }

        StepVerifier.create(store.append("r", "u", "refused", NOTHING))
                .expectErrorSatisfies(e -> assertThat(((ChatException) e).code()).isEqualTo(ErrorCode.INTERNAL))
                .verify(WAIT);
        StepVerifier.create(store.append("r", "u", "next", NOTHING)).assertNext(m -> assertThat(m.seq()).isEqualTo(2))
                .verifyComplete();
    }

    @Test
    void readMarkNeverMovesBackAndOwnMessagesAreNotUnread() {
        StepVerifier.create(readMarks.unread("r", "Ann", 0)).expectNext(0L).verifyComplete();
        Flux.range(1, 4).concatMap(i -> store.append("r", i == 4 ? "ann" : "bo", "m" + i, NOTHING)).blockLast(WAIT);

        StepVerifier.create(readMarks.unread("r", "ann", 4)).expectNext(3L).verifyComplete();
        readMarks.markRead("r", "ANN", 2).block(WAIT);
        readMarks.markRead("r", "ann", 1).block(WAIT);

        StepVerifier.create(readMarks.unread("r", "ann", 4)).expectNext(1L).verifyComplete();
    }

    @Test
    void unreadCountsStopAtAThousand() {
        readMarks.markRead("r", "ann", 0).block(WAIT);
        List<Mono<Message>> appends = LongStream.rangeClosed(1, 1_210)
                // ann's own ten among the first: never unread, and they do not take places in the thousand
                .mapToObj(i -> store.append("r", i <= 10 ? "Ann" : "bo", "m" + i, NOTHING).cache()).toList();
        appends.forEach(Mono::subscribe);
        Flux.merge(appends).blockLast(WAIT);

        StepVerifier.create(readMarks.unread("r", "ann", 1_210)).expectNext(1_000L).verifyComplete();
        readMarks.markRead("r", "ann", 1_010).block(WAIT);
        StepVerifier.create(readMarks.unread("r", "ann", 1_210)).as("below the bound the count is exact")
                .expectNext(200L).verifyComplete();
    }
}
