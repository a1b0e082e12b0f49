package dev.parley.session;

import dev.parley.identity.ChatUser;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Delivery;
import dev.parley.room.RoomChannel;
import dev.parley.stats.CloseReason;
import dev.parley.stats.LiveRates;
import dev.parley.stats.ParleyMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The welcome gate: nothing overtakes the first frame, and what waits behind it is bounded. */
class ChatSessionTests {
    private static final int CAPACITY = 1000;

    private final FakeTransport transport = new FakeTransport();
    private final ChatSession session = new ChatSession(new ChatUser("ann", false), new FakeRenderer(), transport,
            new ParleyMetrics(new SimpleMeterRegistry(), new LiveRates()), CAPACITY, CAPACITY / 2);
    private final RoomChannel room = new RoomChannel("general", "public", 0);

    private static Delivery message(long seq, int bytes) {
        ServerFrame.Message frame = new ServerFrame.Message("general", seq, "bo", "m" + seq, "2026-01-01T00:00:00.000Z");
        return new Delivery("general", seq, frame, ("m" + seq + " ".repeat(bytes)).getBytes(StandardCharsets.UTF_8), 1);
    }

    @Test
    void liveTrafficWaitsBehindTheWelcomeAndFollowsItInOrder() {
        session.follow(room);
        room.publish(message(1, 10));
        room.publish(message(2, 10));

        session.open(new ServerFrame.Pong("welcome"));
        room.publish(message(3, 10));

        StepVerifier.create(session.outbox().frames().map(f -> new String(f.bytes(), StandardCharsets.UTF_8).strip()))
                .expectNext("Pong[id=welcome]", "m1", "m2", "m3")
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(transport.closes()).isEmpty();
    }

    @Test
    void trafficWaitingForAWelcomeThatNeverComesIsBoundedAndCutsOff() {
        session.follow(room);

        for (long seq = 1; seq <= 20; seq++) {
            room.publish(message(seq, 100));
        }

        assertThat(transport.closes()).isNotEmpty()
                .allSatisfy(close -> assertThat(close.reason()).isEqualTo(CloseReason.SLOW));
    }

    @Test
    void aClosedSessionTakesNoMoreChangesNorFollowsRooms() {
        boolean[] ran = new boolean[1];
        assertThat(session.whileOpen(() -> ran[0] = true)).isTrue();
        assertThat(ran[0]).isTrue();

        session.dispose();

        assertThat(session.whileOpen(() -> ran[0] = false)).isFalse();
        assertThat(ran[0]).isTrue();
        session.follow(room);
        assertThat(session.follows("general")).isFalse();
        assertThat(room.subscribers()).as("no subscription left behind").isZero();
    }
}
