package dev.parley.limits;

import dev.parley.stats.Limit;
import dev.parley.stats.LiveRates;
import dev.parley.stats.ParleyMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** When a refusal costs a strike: only after the grace of its run, for a client that keeps sending (a clock the test moves). */
class AllowanceTests {
    private static final long SECOND = 1_000_000_000L;
    private static final long MILLI = 1_000_000L;
    private static final long GRACE = 2 * SECOND;
    private final AtomicLong now = new AtomicLong(42 * SECOND);
    private final ParleyMetrics metrics = new ParleyMetrics(new SimpleMeterRegistry(), new LiveRates());

    /** Two frames at once, then one a second; two strikes. */
    private Allowance allowance() {
        return new Allowance(2, 1, 2, GRACE, now::get, metrics);
    }

    private static List<Allowance.Verdict> frames(Allowance allowance, int count) {
        List<Allowance.Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            verdicts.add(allowance.frame());
        }
        return verdicts;
    }

    private static boolean abuse(Allowance.Verdict verdict) {
        return verdict.outcome() == Allowance.Outcome.ABUSE;
    }

    @Test
    void aPipelinedBurstIsRefusedWithTheWaitButCostsNoStrike() {
        List<Allowance.Verdict> burst = frames(allowance(), 64);

        assertThat(burst.subList(0, 2)).allMatch(Allowance.Verdict::passed);
        assertThat(burst.subList(2, 64)).allMatch(v -> v.outcome() == Allowance.Outcome.LIMITED)
                .allMatch(v -> v.retryAfterMs() == 1000);
        assertThat(metrics.refusals(Limit.FRAMES)).isEqualTo(62);
        assertThat(metrics.refusals(Limit.ABUSE)).isZero();
    }

    @Test
    void aSendLoopStillRunningWithinTheGraceCostsNothing() {
        Allowance allowance = allowance();
        List<Allowance.Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            verdicts.add(allowance.frame());
            now.addAndGet(10 * MILLI);
        }
        assertThat(verdicts).noneMatch(AllowanceTests::abuse);
    }

    @Test
    void aClientThatKeepsSendingPastTheGraceSpendsItsStrikesAndIsClosed() {
        Allowance allowance = allowance();
        List<Allowance.Verdict> verdicts = new ArrayList<>();
        long start = now.get();
        // ten frames a second against one: never quiet, though a frame passes now and then
        while (verdicts.isEmpty() || !abuse(verdicts.get(verdicts.size() - 1))) {
            verdicts.add(allowance.frame());
            now.addAndGet(SECOND / 10);
            assertThat(now.get() - start).as("closed soon after the grace").isLessThan(GRACE + SECOND);
        }
        assertThat(verdicts).anyMatch(Allowance.Verdict::passed);
        assertThat(now.get() - start).isGreaterThanOrEqualTo(GRACE);
        assertThat(metrics.refusals(Limit.ABUSE)).isEqualTo(1);
    }

    @Test
    void aClientThatWaitsAsToldIsNeverClosedHoweverOftenItPipelines() {
        Allowance allowance = allowance();
        for (int round = 0; round < 50; round++) {
            List<Allowance.Verdict> burst = frames(allowance, 64);
            assertThat(burst).noneMatch(AllowanceTests::abuse);
            long wait = burst.stream().mapToLong(Allowance.Verdict::retryAfterMs).max().orElseThrow();
            now.addAndGet(wait * MILLI);
        }
        assertThat(metrics.refusals(Limit.ABUSE)).isZero();
    }

    @Test
    void everyRefusalOfARunPointsAtTheSameRetryTimeSoHonouringAnyOfThemIsWaitingAsTold() {
        Allowance allowance = allowance();
        assertThat(allowance.frame().passed()).isTrue();
        Allowance.Verdict messageRefused = allowance.refused(3 * SECOND);
        assertThat(messageRefused.retryAfterMs()).isEqualTo(3000);
        now.addAndGet(SECOND / 2);
        // this frame passes the frame rate, but is refused elsewhere with a shorter wait: told the run's retry time
        assertThat(allowance.frame().passed()).isTrue();
        assertThat(allowance.refused(SECOND / 2).retryAfterMs()).isEqualTo(2500);
        // a client that honours that last refusal comes back at the run's retry time: a new run, free again
        now.addAndGet(2500 * MILLI);
        for (int i = 0; i < 20; i++) {
            Allowance.Verdict frame = allowance.frame();
            assertThat(frame.passed() ? allowance.refused(3 * SECOND) : frame).matches(v -> !abuse(v));
        }
    }

    @Test
    void aRefusalElsewhereCountsLikeAFramesOnce() {
        Allowance allowance = new Allowance(100, 100, 1, 0, now::get, metrics);
        assertThat(allowance.frame().passed()).isTrue();
        assertThat(allowance.refused(SECOND).outcome()).as("no grace: a strike at once").isEqualTo(Allowance.Outcome.LIMITED);
        assertThat(allowance.frame().passed()).isTrue();
        assertThat(allowance.refused(SECOND).outcome()).isEqualTo(Allowance.Outcome.ABUSE);
    }

    @Test
    void strikesComeBackSlowly() {
        Allowance allowance = new Allowance(1, 0.001, 1, 0, now::get, metrics);
        allowance.frame();
        assertThat(allowance.frame().outcome()).isEqualTo(Allowance.Outcome.LIMITED);
        now.addAndGet(Allowance.STRIKE_RETURN_SECONDS * SECOND);
        assertThat(allowance.frame().outcome()).as("forgiven after a while").isEqualTo(Allowance.Outcome.LIMITED);
        assertThat(allowance.frame().outcome()).isEqualTo(Allowance.Outcome.ABUSE);
    }
}
