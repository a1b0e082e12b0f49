package dev.parley.session;

import dev.parley.config.ParleyProperties;
import dev.parley.identity.ChatUser;
import dev.parley.protocol.CloseCodes;
import dev.parley.stats.CloseReason;
import dev.parley.stats.LiveRates;
import dev.parley.stats.ParleyMetrics;
import dev.parley.support.TestProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class KeepAliveTests {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ParleyProperties properties = TestProperties.defaults();
    private final Duration pingInterval = properties.ws().pingInterval();
    private final long idleTimeoutNanos = properties.ws().idleTimeout().toNanos();
    private final ParleyMetrics metrics = new ParleyMetrics(new SimpleMeterRegistry(), new LiveRates());
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final SessionRegistry sessions = new SessionRegistry();
    private final KeepAlive keepAlive = new KeepAlive(sessions, properties, time, java.time.Clock.systemUTC());

    @AfterEach
    void stop() {
        keepAlive.stop();
        time.dispose();
    }

    @Test
    void aRoundIsSpreadOverTheIntervalAndPingsEverySessionOnce() {
        // two sessions for each tick of a round
        List<ChatSession> open = IntStream.range(0, 2 * KeepAlive.SLICES).mapToObj(i -> open("s" + i)).toList();
        Map<ChatSession, AtomicInteger> pings = new IdentityHashMap<>();
        open.forEach(session -> countPings(session, pings));
        keepAlive.start();

        time.advanceTimeBy(pingInterval.dividedBy(KeepAlive.SLICES));
        // the first tick's share, not everyone at once
        await().atMost(TIMEOUT).until(() -> total(pings) == 2);
        assertThat(pings.values()).filteredOn(count -> count.get() == 1).hasSize(2);

        time.advanceTimeBy(pingInterval.minus(pingInterval.dividedBy(KeepAlive.SLICES)));
        await().atMost(TIMEOUT).until(() -> total(pings) == open.size());
        assertThat(pings.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(keepAlive.isRunning()).isTrue();
    }

    @Test
    void sessionsOpenedDuringARoundArePingedAtMostOnceInItAndNoneIsLeftOut() {
        List<ChatSession> first = IntStream.range(0, KeepAlive.SLICES).mapToObj(i -> open("a" + i)).toList();
        Map<ChatSession, AtomicInteger> pings = new IdentityHashMap<>();
        first.forEach(session -> countPings(session, pings));
        keepAlive.start();
        time.advanceTimeBy(pingInterval.dividedBy(KeepAlive.SLICES));
        await().atMost(TIMEOUT).until(() -> total(pings) == 1);

        // as many again open in the round's first tick: its share was counted without them
        List<ChatSession> later = IntStream.range(0, KeepAlive.SLICES).mapToObj(i -> open("b" + i)).toList();
        later.forEach(session -> countPings(session, pings));
        time.advanceTimeBy(pingInterval.minus(pingInterval.dividedBy(KeepAlive.SLICES)));

        // the round's last tick took what was left: everyone there at its start once, nobody twice
        await().atMost(TIMEOUT).until(() -> first.stream().allMatch(session -> pings.get(session).get() == 1));
        assertThat(pings.values()).allSatisfy(count -> assertThat(count.get()).isLessThanOrEqualTo(1));
        time.advanceTimeBy(pingInterval);
        await().atMost(TIMEOUT).until(() -> later.stream().allMatch(session -> pings.get(session).get() >= 1));
    }

    @Test
    void sessionsArePingedEveryInterval() {
        ChatSession alice = open("alice");
        keepAlive.start();

        StepVerifier.create(alice.outbox().frames())
                .then(() -> time.advanceTimeBy(pingInterval.multipliedBy(3)))
                .expectNext(KeepAlive.PING, KeepAlive.PING, KeepAlive.PING)
                .thenCancel()
                .verify(TIMEOUT);
        assertThat(transport(alice).closes()).isEmpty();
    }

    @Test
    void sessionSilentForTheIdleTimeoutIsClosedNormally() {
        ChatSession alice = open("alice");
        Outgoing marker = Outgoing.reply(new byte[1]);

        StepVerifier.create(alice.outbox().frames())
                .then(() -> keepAlive.tick(System.nanoTime() + idleTimeoutNanos))
                .then(() -> alice.outbox().offer(marker))
                // closed, not pinged
                .expectNext(marker)
                .thenCancel()
                .verify(TIMEOUT);
        assertThat(transport(alice).closes())
                .containsExactly(new FakeTransport.Close(CloseReason.IDLE, CloseCodes.NORMAL, "idle timeout"));
    }

    @Test
    void sessionSilentJustUnderTheIdleTimeoutIsPingedNotClosed() {
        ChatSession alice = open("alice");
        long lastHeard = lastInbound(alice);

        StepVerifier.create(alice.outbox().frames())
                .then(() -> keepAlive.tick(lastHeard + idleTimeoutNanos - 1))
                .expectNext(KeepAlive.PING)
                .then(() -> assertThat(transport(alice).closes()).isEmpty())
                .then(() -> keepAlive.tick(lastHeard + idleTimeoutNanos))
                .then(() -> assertThat(transport(alice).closes()).extracting(FakeTransport.Close::reason)
                        .containsExactly(CloseReason.IDLE))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void onlyTheSilentSessionIsClosedTheOthersArePinged() {
        ChatSession quiet = open("quiet");
        ChatSession chatty = open("chatty");
        // the chatty one spoke after the quiet one was last heard from
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(1)).until(() -> {
            chatty.touch();
            return lastInbound(chatty) > lastInbound(quiet);
        });

        StepVerifier.create(chatty.outbox().frames())
                .then(() -> keepAlive.tick(lastInbound(quiet) + idleTimeoutNanos))
                .expectNext(KeepAlive.PING)
                .thenCancel()
                .verify(TIMEOUT);
        assertThat(transport(quiet).closes()).extracting(FakeTransport.Close::reason)
                .containsExactly(CloseReason.IDLE);
        assertThat(transport(chatty).closes()).isEmpty();
    }

    @Test
    void stoppedKeepAlivePingsNoMore() {
        ChatSession alice = open("alice");
        Outgoing marker = Outgoing.reply(new byte[1]);
        keepAlive.start();

        StepVerifier.create(alice.outbox().frames())
                .then(() -> time.advanceTimeBy(pingInterval))
                .expectNext(KeepAlive.PING)
                .then(keepAlive::stop)
                .then(() -> time.advanceTimeBy(pingInterval.multipliedBy(3)))
                .then(() -> alice.outbox().offer(marker))
                .expectNext(marker)
                .thenCancel()
                .verify(TIMEOUT);
        assertThat(keepAlive.isRunning()).isFalse();
    }

    @Test
    void closedSessionsLeaveTheRound() {
        ChatSession alice = open("alice");
        sessions.remove(alice);

        keepAlive.tick(System.nanoTime() + idleTimeoutNanos);

        assertThat(transport(alice).closes()).isEmpty();
    }

    private ChatSession open(String name) {
        ChatSession session = new ChatSession(new ChatUser(name, false), new FakeRenderer(), new FakeTransport(),
                metrics, properties.outbound().bufferSize().toBytes(), properties.outbound().ephemeralLimit().toBytes());
        sessions.add(session);
        return session;
    }

    private static void countPings(ChatSession session, Map<ChatSession, AtomicInteger> pings) {
        AtomicInteger count = new AtomicInteger();
        pings.put(session, count);
        session.outbox().frames().filter(frame -> frame == KeepAlive.PING).subscribe(ping -> count.incrementAndGet());
    }

    private static int total(Map<ChatSession, AtomicInteger> pings) {
        return pings.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private static FakeTransport transport(ChatSession session) {
        return (FakeTransport) session.transport();
    }

    /** When the session was last heard from, on the {@link System#nanoTime()} scale. */
    private static long lastInbound(ChatSession session) {
        return -session.silentNanos(0);
    }
}
