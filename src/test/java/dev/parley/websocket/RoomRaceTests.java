package dev.parley.websocket;

import dev.parley.room.Room;
import dev.parley.room.RoomRegistry;
import dev.parley.session.SessionRegistry;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.parley.support.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many members joining, talking in and leaving one room while its grace period keeps running out
 * and it is deleted and created again. Whatever the interleaving: every join either succeeds or
 * finds no room, a member's message is always stored, and when it is over the store and memory
 * agree and no room leaves a subscription behind. Rounds: {@code -Dparley.race.rounds} (default 3).
 */
@ParleyTest
@Import(RoomDeletionTests.VirtualGrace.class)
class RoomRaceTests {
    private static final int MEMBERS = 8;
    private static final int ITERATIONS = 30;
    private static final Duration GRACE = Duration.ofSeconds(15);

    @LocalServerPort
    int port;
    @Autowired
    VirtualTimeScheduler clock;
    @Autowired
    RoomRegistry registry;
    @Autowired
    SessionRegistry sessions;
    @Autowired
    DataSource dataSource;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    @Test
    void joinsLeavesAndDeletionsHammeringOneRoomNeverLeaveItHalfThere() throws Exception {
        int rounds = Integer.getInteger("parley.race.rounds", 3);
        for (int round = 0; round < rounds; round++) {
            hammer("Race-" + round);
        }
    }

    private void hammer(String name) throws Exception {
        List<ChatClient> members = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            ChatClient client = clients.user(port, "race-" + i);
            client.welcome();
            members.add(client);
        }
        members.get(0).call(frame("create", "room", name));
        Set<Room> incarnations = ConcurrentHashMap.newKeySet();
        incarnations.add(registry.find(name).orElseThrow());
        members.get(0).call(frame("leave", "room", name));

        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(MEMBERS + 1);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (ChatClient member : members) {
                workers.add(threads.submit(() -> churn(member, name, start, incarnations)));
            }
            Future<?> timer = threads.submit(() -> {
                start.await();
                while (running.get()) {
                    // every pending grace period runs out, again and again, while members come and go
                    clock.advanceTimeBy(GRACE);
                    registry.find(name).ifPresent(incarnations::add);
                    Thread.yield();
                }
                return null;
            });
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(2, TimeUnit.MINUTES);
            }
            running.set(false);
            timer.get(1, TimeUnit.MINUTES);
        } finally {
            threads.shutdownNow();
        }

        // everybody left: the last grace period deletes the room, in memory and in the store
        clock.advanceTimeBy(GRACE);
        assertThat(registry.find(name)).isEmpty();
        await().atMost(ChatClient.TIMEOUT).until(() -> count("SELECT COUNT(*) FROM rooms WHERE name_key = ?", name) == 0
                && count("SELECT COUNT(*) FROM memberships WHERE room = ?", name) == 0);
        for (Room room : incarnations) {
            assertThat(room.isDeleted()).isTrue();
            assertThat(room.memberCount()).isZero();
            assertThat(room.channel().subscribers()).as("a sink left behind by %s", room).isZero();
        }
        assertThat(sessions.all()).noneMatch(session -> session.follows(name));
        members.forEach(ChatClient::close);
    }

    /** One member's loop: join (creating the room when it is gone), say something, leave. */
    private Void churn(ChatClient member, String name, CountDownLatch start, Set<Room> incarnations)
            throws InterruptedException {
        start.await();
        for (int i = 0; i < ITERATIONS; i++) {
            JsonNode joined = member.call(frame("join", "room", name));
            if ("error".equals(joined.get("type").asString())) {
                assertThat(joined.get("code").asString()).as("join: %s", joined).isEqualTo("no_such_room");
                JsonNode created = member.call(frame("create", "room", name));
                String type = created.get("type").asString();
                if ("error".equals(type)) {
                    // somebody else created it first, or it is the last one still ending: try again
                    assertThat(created.get("code").asString()).as("create: %s", created).isEqualTo("room_exists");
                    continue;
                }
                assertThat(type).as("create: %s", created).isEqualTo("ack");
                registry.find(name).ifPresent(incarnations::add);
            }
            JsonNode sent = member.call(frame("send", "room", name, "text", "round " + i));
            assertThat(sent.get("type").asString()).as("a member's send: %s", sent).isEqualTo("ack");
            JsonNode left = member.call(frame("leave", "room", name));
            assertThat(left.get("type").asString()).as("a member's leave: %s", left).isEqualTo("left");
        }
        return null;
    }

    private long count(String sql, String room) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, sql.contains("name_key") ? room.toLowerCase() : room);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
