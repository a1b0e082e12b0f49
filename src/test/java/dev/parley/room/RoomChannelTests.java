package dev.parley.room;

import dev.parley.protocol.ServerFrame;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

class RoomChannelTests {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** A writer that runs each hand-off on the publishing thread. */
    private static final Executor DIRECT = Runnable::run;

    private final RoomChannel channel = new RoomChannel("general", "public", 10);

    @Test
    void slowSubscriberDoesNotStallAFastOne() {
        Delivery first = message(11);
        Delivery second = message(12);
        Delivery third = message(13);
        Delivery afterDemand = message(14);
        StepVerifier fast = StepVerifier.create(channel.deliveries(DIRECT))
                .expectNext(first, second, third, afterDemand)
                .thenCancel()
                .verifyLater();

        StepVerifier.create(channel.deliveries(DIRECT), 0)
                .expectSubscription()
                .then(() -> {
                    channel.publish(first);
                    channel.publish(second);
                    channel.publish(third);
                })
                // nothing was buffered for it: once it asks, it gets only what comes next
                .thenRequest(1)
                .then(() -> channel.publish(afterDemand))
                .expectNext(afterDemand)
                .thenCancel()
                .verify(TIMEOUT);

        fast.verify(TIMEOUT);
    }

    @Test
    void messagesPublishedOutOfOrderOrTwiceGoOutInSeqOrderOnce() {
        List<Long> seen = new CopyOnWriteArrayList<>();
        Disposable follower = channel.deliveries(DIRECT).subscribe(d -> seen.add(d.seq()));

        assertThat(channel.publish(message(13))).as("13 opens a gap after 10").isTrue();
        assertThat(channel.publish(message(12))).as("a gap already open").isFalse();
        assertThat(channel.gapFrom()).isEqualTo(10);
        assertThat(channel.lastSeq()).as("known committed, for a new follower's start").isEqualTo(13);
        channel.publish(message(11));
        channel.publish(message(12));
        channel.publish(message(11));
        channel.publish(message(14));

        assertThat(seen).containsExactly(11L, 12L, 13L, 14L);
        assertThat(channel.gapFrom()).isEqualTo(-1);
        assertThat(channel.delivered()).isEqualTo(14);
        follower.dispose();
    }

    @Test
    void aGapGivenUpSendsTheHeldMessagesAfterTheJump() {
        List<Long> seen = new CopyOnWriteArrayList<>();
        Disposable follower = channel.deliveries(DIRECT).subscribe(d -> seen.add(d.seq()));
        channel.publish(message(13));
        channel.publish(message(14));
        channel.publish(message(16));

        channel.skipGap();

        // the followers' cursors see 10 -> 13 and cut their connections off to resume from the store
        assertThat(seen).containsExactly(13L, 14L);
        assertThat(channel.gapFrom()).isEqualTo(14);
        channel.publish(message(15));
        assertThat(seen).containsExactly(13L, 14L, 15L, 16L);
        follower.dispose();
    }

    @Test
    void lastSeqFollowsPublishedMessages() {
        assertThat(channel.lastSeq()).isEqualTo(10);

        channel.publish(message(11));
        channel.publish(message(12));

        assertThat(channel.lastSeq()).isEqualTo(12);
    }

    @Test
    void ephemeralFramesLeaveLastSeqAlone() {
        channel.publish(message(11));

        channel.publish(typing("bob"));

        assertThat(channel.lastSeq()).isEqualTo(11);
    }

    @Test
    void publishingWithNoSubscriberIsFineAndNotReplayed() {
        channel.publish(message(11));
        channel.publish(typing("bob"));
        assertThat(channel.subscribers()).isZero();
        assertThat(channel.lastSeq()).isEqualTo(11);

        StepVerifier.create(channel.deliveries(DIRECT))
                .then(() -> channel.publish(message(12)))
                .assertNext(delivery -> assertThat(delivery.seq()).isEqualTo(12))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void ephemeralFramesReachSubscribers() {
        Delivery typing = typing("bob");

        StepVerifier.create(channel.deliveries(DIRECT))
                .then(() -> channel.publish(typing))
                .expectNext(typing)
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void subscriberThatThrowsDoesNotStopDeliveryToTheOthers() {
        List<Delivery> before = new CopyOnWriteArrayList<>();
        List<Throwable> vanished = new ArrayList<>();
        List<Delivery> after = new CopyOnWriteArrayList<>();
        Disposable first = channel.deliveries(DIRECT).subscribe(before::add);
        // the way a session follows a room: a consumer; this one's client vanished mid-broadcast
        Disposable failing = channel.deliveries(DIRECT).subscribe(delivery -> {
            throw new IllegalStateException("client gone");
        }, vanished::add);
        Disposable last = channel.deliveries(DIRECT).subscribe(after::add);
        Delivery broadcast = message(11);
        Delivery next = message(12);

        channel.publish(broadcast);
        channel.publish(next);

        assertThat(before).containsExactly(broadcast, next);
        assertThat(after).containsExactly(broadcast, next);
        assertThat(vanished).singleElement().satisfies(e -> assertThat(e).hasMessage("client gone"));
        assertThat(channel.subscribers()).isEqualTo(2);
        assertThat(channel.lastSeq()).isEqualTo(12);
        first.dispose();
        failing.dispose();
        last.dispose();
    }

    @Test
    void eachWriterThreadGetsOneHandOffPerMessageForAllItsConnections() {
        CountingWriter loopA = new CountingWriter();
        CountingWriter loopB = new CountingWriter();
        CountingWriter idle = new CountingWriter();
        List<List<Long>> received = new ArrayList<>();
        List<Disposable> subscriptions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            List<Long> seqs = new CopyOnWriteArrayList<>();
            received.add(seqs);
            subscriptions.add(channel.deliveries(i < 3 ? loopA : loopB).subscribe(d -> seqs.add(d.seq())));
        }
        channel.deliveries(idle).subscribe().dispose();

        for (long seq = 11; seq <= 13; seq++) {
            channel.publish(message(seq));
        }

        assertThat(loopA.handOffs).as("three connections, one hand-off per message").isEqualTo(3);
        assertThat(loopB.handOffs).isEqualTo(3);
        assertThat(idle.handOffs).as("a writer with no connections left gets nothing").isZero();
        assertThat(received).allSatisfy(seqs -> assertThat(seqs).containsExactly(11L, 12L, 13L));
        assertThat(channel.subscribers()).isEqualTo(5);
        subscriptions.forEach(Disposable::dispose);
    }

    @Test
    void aBusyWriterThreadTakesQueuedMessagesInOneHandOffAndInOrder() {
        QueueingWriter loop = new QueueingWriter();
        List<Long> early = new CopyOnWriteArrayList<>();
        Disposable first = channel.deliveries(loop).subscribe(d -> early.add(d.seq()));
        channel.publish(message(11));
        channel.publish(message(12));
        // a connection that follows while hand-offs are pending sees them too (its snapshot covers them)
        List<Long> late = new CopyOnWriteArrayList<>();
        Disposable second = channel.deliveries(loop).subscribe(d -> late.add(d.seq()));
        channel.publish(message(13));

        assertThat(loop.tasks).as("one wake-up for three messages").hasSize(1);
        loop.runAll();

        assertThat(early).containsExactly(11L, 12L, 13L);
        assertThat(late).containsExactly(11L, 12L, 13L);
        first.dispose();
        second.dispose();
    }

    @Test
    void aWriterThreadTooFarBehindSkipsMessagesSoItsFollowersSeeTheGapAndResume() {
        RoomChannel bounded = new RoomChannel("busy", "public", 10, 2);
        QueueingWriter stuck = new QueueingWriter();
        List<Long> seqs = new CopyOnWriteArrayList<>();
        Disposable follower = bounded.deliveries(stuck).subscribe(d -> seqs.add(d.seq()));

        for (long seq = 11; seq <= 14; seq++) {
            bounded.publish(message(seq));
        }
        stuck.runAll();
        bounded.publish(message(15));
        stuck.runAll();

        assertThat(seqs).as("12 -> 15 is the gap a RoomCursor cuts the connection off on").containsExactly(11L, 12L, 15L);
        assertThat(bounded.lastSeq()).isEqualTo(15);
        follower.dispose();
    }

    /** Queues hand-offs until the test runs them, like a busy event loop. */
    private static final class QueueingWriter implements Executor {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.remove(0).run();
            }
        }
    }

    /** Runs hand-offs at once, counting them. */
    private static final class CountingWriter implements Executor {
        int handOffs;

        @Override
        public void execute(Runnable task) {
            handOffs++;
            task.run();
        }
    }

    @Test
    void cancelledSubscriberLeavesTheRoom() {
        Disposable subscription = channel.deliveries(DIRECT).subscribe();
        assertThat(channel.subscribers()).isEqualTo(1);

        subscription.dispose();

        assertThat(channel.subscribers()).isZero();
    }

    @Test
    void closeCompletesSubscribers() {
        StepVerifier other = StepVerifier.create(channel.deliveries(DIRECT), 0)
                .expectComplete()
                .verifyLater();

        StepVerifier.create(channel.deliveries(DIRECT))
                .then(() -> channel.publish(message(11)))
                .expectNextCount(1)
                .then(channel::close)
                .expectComplete()
                .verify(TIMEOUT);

        other.verify(TIMEOUT);
    }

    @Test
    void publishingAfterCloseIsHarmless() {
        channel.close();

        channel.publish(message(11));

        StepVerifier.create(channel.deliveries(DIRECT)).expectComplete().verify(TIMEOUT);
    }

    private static Delivery message(long seq) {
        ServerFrame.Message frame = new ServerFrame.Message("general", seq, "alice", "m" + seq,
                "2026-11-22T10:00:00.000Z");
        return new Delivery("general", seq, frame, ("m" + seq).getBytes(), System.nanoTime());
    }

    private static Delivery typing(String user) {
        return new Delivery("general", 0, new ServerFrame.Typing("general", user), user.getBytes(), 0);
    }
}
