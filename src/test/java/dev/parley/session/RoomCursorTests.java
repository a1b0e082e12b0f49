package dev.parley.session;

import dev.parley.protocol.ServerFrame;
import dev.parley.room.Delivery;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.Disposables;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class RoomCursorTests {
    private static final String ROOM = "general";
    private static final int MESSAGE_BYTES = 10;

    private final List<Delivery> delivered = new ArrayList<>();
    private final AtomicInteger overflows = new AtomicInteger();

    @Test
    void liveMessagesPassInOrder() {
        RoomCursor cursor = cursor(1000);
        cursor.start(0);

        cursor.accept(message(1));
        cursor.accept(message(2));
        cursor.accept(message(3));

        assertThat(seqs()).containsExactly(1L, 2L, 3L);
        assertThat(cursor.lastSeq()).isEqualTo(3);
    }

    @Test
    void aGapInLiveSeqsCutsTheConnectionOffInsteadOfSkippingAMessage() {
        RoomCursor cursor = cursor(1000);
        cursor.start(5);

        cursor.accept(message(6));
        cursor.accept(message(8));

        assertThat(seqs()).containsExactly(6L);
        assertThat(overflows).hasValue(1);
    }

    @Test
    void aSecondHoldWhileAReplayRunsIsRefused() {
        RoomCursor cursor = cursor(1000);
        cursor.start(0);

        assertThat(cursor.hold()).isTrue();
        assertThat(cursor.hold()).as("interleaved replays could send a message twice").isFalse();
        cursor.finishReplay(0);
        assertThat(cursor.hold()).isTrue();
    }

    @Test
    void aSeqAtOrBelowLastSeqIsNeverPassed() {
        RoomCursor cursor = cursor(1000);
        cursor.start(5);

        cursor.accept(message(3));
        cursor.accept(message(5));
        cursor.accept(message(6));
        cursor.accept(message(6));
        cursor.accept(message(4));
        cursor.accept(message(7));

        assertThat(seqs()).containsExactly(6L, 7L);
    }

    @Test
    void newCursorHoldsLiveMessagesUntilStart() {
        RoomCursor cursor = cursor(1000);

        cursor.accept(message(4));
        cursor.accept(message(5));
        cursor.accept(message(6));
        cursor.accept(message(7));
        assertThat(delivered).isEmpty();

        cursor.start(5);

        assertThat(seqs()).containsExactly(6L, 7L);
        cursor.accept(message(8));
        assertThat(seqs()).containsExactly(6L, 7L, 8L);
    }

    @Test
    void startWithNothingHeldJustSetsThePosition() {
        RoomCursor cursor = cursor(1000);

        cursor.start(41);

        assertThat(delivered).isEmpty();
        assertThat(cursor.lastSeq()).isEqualTo(41);
    }

    @Test
    void resumeSendsTheReplayThenTheHeldLiveMessagesPastIt() {
        RoomCursor cursor = cursor(1000);
        cursor.start(10);
        cursor.hold();
        cursor.accept(message(12));
        cursor.accept(message(13));
        assertThat(delivered).isEmpty();

        long last = cursor.resume(8, messages(9, 12));

        assertThat(seqs()).containsExactly(9L, 10L, 11L, 12L, 13L);
        assertThat(last).isEqualTo(13);
        cursor.accept(message(13));
        cursor.accept(message(14));
        assertThat(seqs()).containsExactly(9L, 10L, 11L, 12L, 13L, 14L);
    }

    @Test
    void resumeDoesNotResendLiveMessagesAlreadyDelivered() {
        RoomCursor cursor = cursor(1000);
        cursor.start(5);
        cursor.accept(message(6));
        cursor.accept(message(7));
        cursor.hold();
        cursor.accept(message(9));

        // the client only has up to 4: the store replays 5 to 8
        long last = cursor.resume(4, messages(5, 8));

        assertThat(seqs()).containsExactly(6L, 7L, 5L, 8L, 9L);
        assertThat(seqs()).doesNotHaveDuplicates().containsExactlyInAnyOrder(seqRange(5, 9));
        assertThat(last).isEqualTo(9);
    }

    @Test
    void aSecondResumeSendsOnlyWhatIsNew() {
        RoomCursor cursor = cursor(1000);
        cursor.start(5);
        cursor.accept(message(6));
        cursor.hold();
        cursor.resume(2, messages(3, 6));

        cursor.hold();
        cursor.accept(message(8));
        long last = cursor.resume(2, messages(3, 7));

        assertThat(seqs()).doesNotHaveDuplicates().containsExactlyInAnyOrder(seqRange(3, 8));
        assertThat(last).isEqualTo(8);
    }

    @Test
    void resumeWithAnEmptyReplayReleasesTheHeldMessages() {
        RoomCursor cursor = cursor(1000);
        cursor.start(3);
        cursor.hold();
        cursor.accept(message(4));
        cursor.accept(message(5));

        long last = cursor.resume(3, List.of());

        assertThat(seqs()).containsExactly(4L, 5L);
        assertThat(last).isEqualTo(5);
    }

    @Test
    void liveMessagesPassAgainAfterResume() {
        RoomCursor cursor = cursor(1000);
        cursor.start(3);
        cursor.hold();
        cursor.accept(message(4));
        assertThat(delivered).isEmpty();
        cursor.resume(3, List.of());

        cursor.accept(message(5));

        assertThat(seqs()).containsExactly(4L, 5L);
    }

    @Test
    void ephemeralDeliveriesPassOnlyWhenNotHeld() {
        RoomCursor cursor = cursor(1000);
        Delivery beforeStart = typing();
        Delivery live = typing();
        Delivery whileHeld = typing();
        Delivery afterResume = typing();

        cursor.accept(beforeStart);
        cursor.start(0);
        cursor.accept(live);
        cursor.hold();
        cursor.accept(whileHeld);
        cursor.resume(0, List.of());
        cursor.accept(afterResume);

        assertThat(delivered).containsExactly(live, afterResume);
        assertThat(cursor.lastSeq()).isZero();
    }

    @Test
    void holdOverItsByteCapacityCallsTheOverflowCallback() {
        RoomCursor cursor = cursor(2 * MESSAGE_BYTES + 5);
        cursor.start(0);
        cursor.hold();

        cursor.accept(message(1));
        cursor.accept(message(2));
        assertThat(overflows).hasValue(0);
        cursor.accept(message(3));

        assertThat(overflows).hasPositiveValue();
        assertThat(delivered).isEmpty();
    }

    @Test
    void holdNeverKeepsAMessageAfterOneItDropped() {
        RoomCursor cursor = cursor(2 * MESSAGE_BYTES + 5);
        cursor.start(0);
        cursor.hold();
        cursor.accept(message(1));
        cursor.accept(message(2));
        cursor.accept(message(3));
        // small enough to fit, but after a dropped one: keeping it would leave a gap
        cursor.accept(new Delivery(ROOM, 4, frame(4), new byte[1], 0));

        cursor.resume(0, List.of());

        assertThat(seqs()).containsExactly(1L, 2L);
    }

    @Test
    void disposeCancelsTheLiveSubscription() {
        RoomCursor cursor = cursor(1000);
        Disposable subscription = Disposables.single();
        cursor.subscribed(subscription);

        cursor.dispose();

        assertThat(subscription.isDisposed()).isTrue();
    }

    private RoomCursor cursor(long holdCapacity) {
        return new RoomCursor(ROOM, delivered::add, holdCapacity, overflows::incrementAndGet);
    }

    private List<Long> seqs() {
        return delivered.stream().map(Delivery::seq).toList();
    }

    private static Long[] seqRange(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toArray(Long[]::new);
    }

    private static List<Delivery> messages(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(RoomCursorTests::message).toList();
    }

    private static Delivery message(long seq) {
        return new Delivery(ROOM, seq, frame(seq), new byte[MESSAGE_BYTES], 0);
    }

    private static ServerFrame.Message frame(long seq) {
        return new ServerFrame.Message(ROOM, seq, "alice", "m" + seq, "2026-11-22T10:00:00.000Z");
    }

    private static Delivery typing() {
        return new Delivery(ROOM, 0, new ServerFrame.Typing(ROOM, "alice"), new byte[MESSAGE_BYTES], 0);
    }
}
