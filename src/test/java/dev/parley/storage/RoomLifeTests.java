package dev.parley.storage;

import com.zaxxer.hikari.HikariDataSource;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Visibility;
import dev.parley.room.Room;
import dev.parley.room.RoomStore;
import dev.parley.support.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The room's life as the store keeps it for several nodes: the grace of an empty room starts in the store, one
 * claim wins the deletion, and a join racing a claim (each through its own writer, as two nodes would) either comes
 * first, and the claim fails, or comes second and is refused with {@code no_such_room}, never both or neither.
 */
class RoomLifeTests {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Room.Member ANN = Room.Member.registered("Ann");
    private static final int RACES = 60;

    @TempDir
    Path dir;

    @Test
    void onSqliteTheGraceStartsInTheStoreAndOneClaimWins() throws Exception {
        try (HikariDataSource sqlite = MessageStoreTests.dataSource(dir)) {
            theGraceStartsInTheStoreAndOneClaimWins(sqlite);
        }
    }

    @Test
    void onPostgresTheGraceStartsInTheStoreAndOneClaimWins() throws Exception {
        try (HikariDataSource postgres = TestPostgres.freshSchema()) {
            theGraceStartsInTheStoreAndOneClaimWins(postgres);
        }
    }

    @Test
    void onPostgresAJoinRacingAClaimEitherComesFirstOrIsRefused() throws Exception {
        try (HikariDataSource postgres = TestPostgres.freshSchema();
             TestStores first = prepared(postgres);
             TestStores second = TestStores.on(postgres)) {
            RoomStore claiming = first.rooms();
            RoomStore joining = second.rooms();
            for (int i = 0; i < RACES; i++) {
                String room = "race-" + i;
                claiming.create(room, 1L, Visibility.PUBLIC, null, Map.of("ann", ANN), () -> { }).block(WAIT);
                claiming.removeMember(room, "ann", () -> { }).block(WAIT);
                long later = System.currentTimeMillis() + 60_000;
                Mono<Boolean> claim = Mono.defer(() -> claiming.claim(room, later, 0)).subscribeOn(Schedulers.parallel());
                Mono<Boolean> join = Mono.defer(() -> joining.addMember(room, "bob", Room.Member.registered("bob"), 0,
                                () -> { }))
                        .thenReturn(true)
                        .onErrorResume(ChatException.class, refused -> {
                            assertThat(refused.code()).isEqualTo(ErrorCode.NO_SUCH_ROOM);
                            return Mono.just(false);
                        })
                        .subscribeOn(Schedulers.parallel());
                boolean[] outcome = Mono.zip(claim, join, (claimed, joined) -> new boolean[] {claimed, joined}).block(WAIT);
                assertThat(outcome[0]).as("race %d: exactly one of the claim and the join wins", i).isNotEqualTo(outcome[1]);
            }
        }
    }

    private static void theGraceStartsInTheStoreAndOneClaimWins(DataSource dataSource) {
        try (TestStores stores = prepared(dataSource)) {
            RoomStore rooms = stores.rooms();
            long later = System.currentTimeMillis() + 60_000;
            rooms.create("brief", 1L, Visibility.PUBLIC, null, Map.of("ann", ANN), () -> { }).block(WAIT);
            rooms.create("@ann+bob", 1L, Visibility.PRIVATE, null, Map.of("ann", ANN), () -> { }).block(WAIT);
            assertThat(rooms.deletable(later, 0).block(WAIT)).as("a room with a member is not deletable").isEmpty();

            rooms.removeMember("brief", "ann", () -> { }).block(WAIT);
            rooms.removeMember("@ann+bob", "ann", () -> { }).block(WAIT);
            assertThat(rooms.deletable(later, 0).block(WAIT)).as("a conversation keeps its history").containsExactly("brief");
            assertThat(rooms.deletable(0, 0).block(WAIT)).as("not before its grace is over").isEmpty();

            assertThat(rooms.claim("brief", later, 0).block(WAIT)).isTrue();
            assertThat(rooms.claim("brief", later, 0).block(WAIT)).as("claimed once").isFalse();
            assertThat(rooms.find("brief").block(WAIT)).as("a room being deleted is found no more").isEmpty();
            assertThat(rooms.deletable(later, System.currentTimeMillis() + 1).block(WAIT))
                    .as("a claim never finished is taken over later").containsExactly("brief");
            assertThat(rooms.claim("brief", later, System.currentTimeMillis() + 1).block(WAIT)).isTrue();
            rooms.delete("brief", () -> { }).block(WAIT);
            assertThat(rooms.deletable(later, Long.MAX_VALUE).block(WAIT)).isEmpty();

            rooms.create("guests", 1L, Visibility.PUBLIC, null, Map.of("g1", Room.Member.guest("G1", "node-a")), () -> { })
                    .block(WAIT);
            rooms.addMember("guests", "g2", Room.Member.guest("G2", "node-b"), 0, () -> { }).block(WAIT);
            rooms.addMember("guests", "g2", Room.Member.guest("G2", "node-b"), 0, () -> { }).block(WAIT);
            assertThat(rooms.find("guests").block(WAIT).orElseThrow().members()).as("joined twice: a member once")
                    .containsOnly(Map.entry("g1", Room.Member.guest("G1", "node-a")),
                            Map.entry("g2", Room.Member.guest("G2", "node-b")));
            rooms.create("@g1+ann", 1L, Visibility.PRIVATE, null,
                    Map.of("g1", Room.Member.guest("G1", "node-a"), "ann", ANN), () -> { }).block(WAIT);
            assertThat(rooms.removeGuests("node-a", null).block(WAIT)).as("its conversation is claimed, by this caller")
                    .containsExactly(new RoomStore.GuestLeft("@g1+ann", "g1", "G1", true),
                            new RoomStore.GuestLeft("guests", "g1", "G1", false));
            assertThat(rooms.removeGuests("node-a", null).block(WAIT)).as("once").isEmpty();
            assertThat(rooms.deletable(later, 0).block(WAIT)).as("a guest of a live node is still in it").isEmpty();
            rooms.removeGuests("node-b", "g2").block(WAIT);
            assertThat(rooms.deletable(later, 0).block(WAIT)).as("its last guest left").containsExactly("guests");
        }
    }

    private static TestStores prepared(DataSource dataSource) {
        TestStores.migrate(dataSource);
        return TestStores.on(dataSource);
    }
}
