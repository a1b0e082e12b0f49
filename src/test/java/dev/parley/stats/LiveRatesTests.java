package dev.parley.stats;

import dev.parley.support.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LiveRatesTests {
    private static final long T = 1_700_000_000L;

    private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(T));
    private final LiveRates rates = new LiveRates(clock);

    @Test
    void messagesPerSecondAveragesTheLastFiveWholeSeconds() {
        store("general", T, 7);       // six seconds back at the reading: too old
        store("general", T + 1, 5);
        store("general", T + 3, 10);
        store("general", T + 5, 5);
        store("general", T + 6, 100); // the current second: not whole yet

        at(T + 6, 500);

        assertThat(rates.messagesPerSecond()).isEqualTo((5 + 10 + 5) / 5.0);
    }

    @Test
    void theCurrentSecondCountsOnceItIsWhole() {
        store("general", T + 5, 5);
        store("general", T + 6, 100);

        at(T + 7, 0);

        assertThat(rates.messagesPerSecond()).isEqualTo((5 + 100) / 5.0);
    }

    @Test
    void messagesPerSecondFallsToZeroAfterFiveQuietSeconds() {
        store("general", T, 50);

        at(T + 5, 999);
        assertThat(rates.messagesPerSecond()).isEqualTo(10.0);
        at(T + 6, 0);
        assertThat(rates.messagesPerSecond()).isZero();
    }

    @Test
    void messagesOfEveryRoomCount() {
        store("general", T, 2);
        store("dev", T, 3);

        at(T + 1, 0);

        assertThat(rates.messagesPerSecond()).isEqualTo(1.0);
    }

    @Test
    void deliveriesPerSecondAveragesTheLastFiveWholeSeconds() {
        at(T, 0);
        for (int i = 0; i < 20; i++) {
            rates.delivered();
        }
        at(T + 4, 0);
        for (int i = 0; i < 5; i++) {
            rates.delivered();
        }

        at(T + 5, 0);

        assertThat(rates.deliveriesPerSecond()).isEqualTo(5.0);
        assertThat(rates.messagesPerSecond()).isZero();
    }

    @Test
    void topRoomsAreOrderedByMessagesInTheLastMinuteThenByName() {
        store("alpha", T, 3);
        store("beta", T + 10, 5);
        store("gamma", T + 20, 1);
        store("delta", T + 30, 3);

        at(T + 30, 0);

        assertThat(rates.topRooms(10)).containsExactly(
                new LiveRates.RoomRate("beta", 5),
                new LiveRates.RoomRate("alpha", 3),
                new LiveRates.RoomRate("delta", 3),
                new LiveRates.RoomRate("gamma", 1));
    }

    @Test
    void topRoomsIsCapped() {
        store("alpha", T, 3);
        store("beta", T, 5);
        store("gamma", T, 1);
        store("delta", T, 4);

        assertThat(rates.topRooms(2)).extracting(LiveRates.RoomRate::room).containsExactly("beta", "delta");
        assertThat(rates.topRooms(0)).isEmpty();
    }

    @Test
    void topRoomsCountOnlyTheLastMinute() {
        store("general", T, 4);
        store("general", T + 30, 2);

        at(T + 59, 999);
        assertThat(rates.topRooms(10)).containsExactly(new LiveRates.RoomRate("general", 6));
        at(T + 60, 0);
        assertThat(rates.topRooms(10)).containsExactly(new LiveRates.RoomRate("general", 2));
    }

    @Test
    void roomQuietForAMinuteIsForgotten() {
        store("quiet", T, 8);
        store("busy", T + 30, 1);

        at(T + 61, 0);
        assertThat(rates.topRooms(10)).extracting(LiveRates.RoomRate::room).containsExactly("busy");
        at(T + 200, 0);
        assertThat(rates.topRooms(10)).isEmpty();

        // a forgotten room that speaks again starts from its new messages
        store("quiet", T + 200, 1);
        assertThat(rates.topRooms(10)).containsExactly(new LiveRates.RoomRate("quiet", 1));
    }

    @Test
    void slowConsumerDisconnectsAreCounted() {
        rates.slowConsumerDisconnected();
        rates.slowConsumerDisconnected();

        assertThat(rates.slowConsumerDisconnects()).isEqualTo(2);
    }

    private void store(String room, long second, int messages) {
        at(second, 0);
        for (int i = 0; i < messages; i++) {
            rates.messageStored(room);
        }
    }

    private void at(long second, int millis) {
        clock.set(Instant.ofEpochSecond(second).plusMillis(millis));
    }
}
