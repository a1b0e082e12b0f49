package dev.parley.chat;

import dev.parley.protocol.Visibility;
import dev.parley.room.Room;
import dev.parley.room.RoomStore;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.parley.support.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A conversation whose name is still held by a deleted one (its messages being purged): a new one of the
 * name waits for the purge without holding a thread, and a purge that fails is tried again until the name
 * is free. The store's deletions go through a decorator that can hold or fail them.
 */
@ParleyTest
class ConversationDeletionTests {
    @LocalServerPort
    int port;
    @Autowired
    DeletionFaults faults;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    @TestConfiguration
    static class Faults {
        @Bean
        DeletionFaults deletionFaults() {
            return new DeletionFaults();
        }

        @Bean
        @Primary
        RoomStore faultyDeletes(@Qualifier("roomStore") RoomStore real, DeletionFaults faults) {
            return faults.around(real);
        }
    }

    @AfterEach
    void clear() {
        faults.release();
        faults.failing.set(0);
    }

    @Test
    void aDmWaitsForTheOldConversationsPurgeWithoutHoldingItsConnection() {
        ChatClient user = clients.welcomedUser(port, "cd-user");
        ChatClient guest = clients.welcomedGuest(port, "cd-guest");
        assertThat(user.call(frame("dm", "to", "cd-guest", "text", "one")).get("room").asString())
                .isEqualTo("@cd-guest+cd-user");
        faults.hold();
        int before = faults.requested.get();
        // the guest's last connection ends: its conversation is deleted, and the purge is held
        guest.close();
        await().atMost(ChatClient.TIMEOUT).until(() -> faults.requested.get() > before);
        user.await(f -> offline(f, "cd-guest"));
        ChatClient again = clients.welcomedGuest(port, "cd-guest");

        user.send(frame("dm", "to", "cd-guest", "text", "two", "id", "waits"));
        assertThat(user.call(frame("ping")).get("type").asString()).as("the connection is not held by the wait")
                .isEqualTo("pong");
        faults.release();

        JsonNode ack = user.await(f -> "waits".equals(f.path("id").asString()));
        assertThat(ack.get("type").asString()).isEqualTo("ack");
        assertThat(ack.get("seq").asLong()).as("a new conversation of the name").isEqualTo(1);
        assertThat(again.await(f -> "message".equals(f.path("type").asString())).get("text").asString()).isEqualTo("two");
    }

    @Test
    void aPurgeThatFailsIsTriedAgainSoTheNameIsFreedInTheEnd() {
        ChatClient user = clients.welcomedUser(port, "cf-user");
        ChatClient guest = clients.welcomedGuest(port, "cf-guest");
        user.call(frame("dm", "to", "cf-guest", "text", "one"));
        faults.failing.set(2);
        guest.close();
        user.await(f -> offline(f, "cf-guest"));
        ChatClient again = clients.welcomedGuest(port, "cf-guest");

        // a dm answered rate_limited while the name is held is tried again, as its retryAfterMs says
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode reply = user.call(frame("dm", "to", "cf-guest", "text", "two"));
            if ("error".equals(reply.get("type").asString())) {
                assertThat(reply.get("code").asString()).isEqualTo("rate_limited");
                assertThat(reply.get("retryAfterMs").asLong()).isPositive();
                return false;
            }
            return reply.get("seq").asLong() == 1;
        });
        assertThat(faults.failing.get()).as("both failures were met").isZero();
        assertThat(again.await(f -> "message".equals(f.path("type").asString())).get("text").asString()).isEqualTo("two");
    }

    private static boolean offline(JsonNode frame, String user) {
        return "presence".equals(frame.path("type").asString()) && user.equals(frame.path("user").asString())
                && !frame.path("online").asBoolean();
    }

    /** Holds or fails the store's room deletions; everything else goes to the real store as it is. */
    static final class DeletionFaults {
        final AtomicInteger requested = new AtomicInteger();
        final AtomicInteger failing = new AtomicInteger();
        private volatile Sinks.Empty<Void> held;

        void hold() {
            held = Sinks.empty();
        }

        void release() {
            Sinks.Empty<Void> gate = held;
            held = null;
            if (gate != null) {
                gate.tryEmitEmpty();
            }
        }

        RoomStore around(RoomStore real) {
            return new RoomStore() {
                @Override
                public Mono<List<StoredRoom>> load() {
                    return real.load();
                }

                @Override
                public Mono<List<StoredRoom>> current() {
                    return real.current();
                }

                @Override
                public Mono<Optional<StoredRoom>> find(String room) {
                    return real.find(room);
                }

                @Override
                public Mono<Void> create(String room, long createdAt, Visibility visibility, String createdBy,
                                         Map<String, Room.Member> members, Runnable onCommitted) {
                    return real.create(room, createdAt, visibility, createdBy, members, onCommitted);
                }

                @Override
                public Mono<Void> addMember(String room, String userKey, Room.Member member, long readMark,
                                            Runnable onCommitted) {
                    return real.addMember(room, userKey, member, readMark, onCommitted);
                }

                @Override
                public Mono<Void> removeMember(String room, String userKey, Runnable onCommitted) {
                    return real.removeMember(room, userKey, onCommitted);
                }

                @Override
                public Mono<Void> invite(String room, String userKey, String invitedBy, Runnable onCommitted) {
                    return real.invite(room, userKey, invitedBy, onCommitted);
                }

                @Override
                public Mono<List<GuestLeft>> removeGuests(String node, String guestKey) {
                    return real.removeGuests(node, guestKey);
                }

                @Override
                public Mono<List<String>> deletable(long emptyBefore, long claimedBefore) {
                    return real.deletable(emptyBefore, claimedBefore);
                }

                @Override
                public Mono<Boolean> claim(String room, long emptyBefore, long claimedBefore) {
                    return real.claim(room, emptyBefore, claimedBefore);
                }

                @Override
                public Mono<Void> delete(String room, Runnable onCommitted) {
                    requested.incrementAndGet();
                    if (failing.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        return Mono.error(new IllegalStateException("injected: the purge failed"));
                    }
                    Sinks.Empty<Void> gate = held;
                    if (gate == null) {
                        return real.delete(room, onCommitted);
                    }
                    Mono<Void> deleted = gate.asMono().then(Mono.defer(() -> real.delete(room, onCommitted)));
                    // submitted when called, as the contract says: here, once released
                    Mono<Void> cached = deleted.cache();
                    cached.subscribe(null, e -> { });
                    return cached;
                }
            };
        }
    }
}
