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

/** When a refusal costs a strike: only once the client has heard it and keeps going (a clock the test moves). */
class AllowanceTests {
    private static final long SECOND = 1_000_000_000L;
    private static final long GRACE = 5 * SECOND;
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

    @Test
    void aPipelinedBurstIsRefusedWithTheWaitButCostsNoStrike() {
        Allowance allowance = allowance();
        List<Allowance.Verdict> burst = frames(allowance, 64);

        assertThat(burst.subList(0, 2)).allMatch(Allowance.Verdict::passed);
        assertThat(burst.subList(2, 64)).allMatch(v -> v.outcome() == Allowance.Outcome.LIMITED)
                .allMatch(v -> v.retryAfterMs() == 1000);
        assertThat(burst.get(2).marker()).as("the run's first refusal asks for a ping").isPositive();
        assertThat(burst.subList(3, 64)).allMatch(v -> v.marker() == 0);
        assertThat(metrics.refusals(Limit.FRAMES)).isEqualTo(62);
        assertThat(metrics.refusals(Limit.ABUSE)).isZero();
    }

    @Test
    void aClientThatHasHeardAndKeepsSendingSpendsItsStrikesAndIsClosed() {
        Allowance allowance = allowance();
        List<Allowance.Verdict> burst = frames(allowance, 3);
        allowance.heard(burst.get(2).marker());

        assertThat(allowance.frame().outcome()).isEqualTo(Allowance.Outcome.LIMITED);
        assertThat(allowance.frame().outcome()).isEqualTo(Allowance.Outcome.LIMITED);
        assertThat(allowance.frame().outcome()).isEqualTo(Allowance.Outcome.ABUSE);
        assertThat(metrics.refusals(Limit.ABUSE)).isEqualTo(1);
    }

    @Test
    void aPongOfAnotherPingIsNotHearing() {
        Allowance allowance = allowance();
        long marker = frames(allowance, 3).get(2).marker();
        allowance.heard(marker + 1);
        assertThat(frames(allowance, 20)).noneMatch(v -> v.outcome() == Allowance.Outcome.ABUSE);
    }

    @Test
    void withoutAPongAClientThatKeepsSendingIsToldAfterTheGrace() {
        Allowance allowance = allowance();
        List<Allowance.Verdict> verdicts = new ArrayList<>();
        long start = now.get();
        // ten frames a second, never quiet, never answering the ping
        while (now.get() - start < 2 * GRACE) {
            verdicts.add(allowance.frame());
            now.addAndGet(SECOND / 10);
            if (verdicts.get(verdicts.size() - 1).outcome() == Allowance.Outcome.ABUSE) {
                break;
            }
        }
        assertThat(verdicts).last().extracting(Allowance.Verdict::outcome).isEqualTo(Allowance.Outcome.ABUSE);
        assertThat(now.get() - start).as("free for the grace, then two strikes").isBetween(GRACE, GRACE + SECOND);
    }

    @Test
    void aClientThatNeverPausesStaysInItsRunAsTokensComeBack() {
        Allowance allowance = allowance();
        long marker = frames(allowance, 3).get(2).marker();
        allowance.heard(marker);
        List<Allowance.Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < 30 && (verdicts.isEmpty() || verdicts.get(verdicts.size() - 1).outcome() != Allowance.Outcome.ABUSE); i++) {
            now.addAndGet(SECOND / 10);
            verdicts.add(allowance.frame());
        }
        assertThat(verdicts).as("a frame now and then passes, the refusals between cost strikes")
                .last().extracting(Allowance.Verdict::outcome).isEqualTo(Allowance.Outcome.ABUSE);
        assertThat(verdicts.size()).isLessThan(15);
    }

    @Test
    void aClientThatWaitsAsToldIsNeverClosedHoweverOftenItPipelines() {
        Allowance allowance = allowance();
        for (int round = 0; round < 50; round++) {
            List<Allowance.Verdict> burst = frames(allowance, 64);
            assertThat(burst).noneMatch(v -> v.outcome() == Allowance.Outcome.ABUSE);
            Allowance.Verdict first = burst.stream().filter(v -> v.marker() != 0).findFirst().orElseThrow();
            // it reads its refusals (the pong comes back), then waits the longest wait it was told
            allowance.heard(first.marker());
            long wait = burst.stream().mapToLong(Allowance.Verdict::retryAfterMs).max().orElseThrow();
            now.addAndGet(wait * 1_000_000);
        }
        assertThat(metrics.refusals(Limit.ABUSE)).isZero();
    }

    @Test
    void aRefusalElsewhereJoinsTheRunWithItsOwnWait() {
        Allowance allowance = allowance();
        assertThat(allowance.frame().passed()).isTrue();
        Allowance.Verdict refused = allowance.refused(3 * SECOND);
        assertThat(refused.outcome()).isEqualTo(Allowance.Outcome.LIMITED);
        assertThat(refused.retryAfterMs()).isEqualTo(3000);
        assertThat(refused.marker()).isPositive();
        allowance.heard(refused.marker());

        // a second later, before the three seconds it was told: each refused request now costs a strike
        now.addAndGet(SECOND);
        List<Allowance.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Allowance.Verdict frame = allowance.frame();
            outcomes.add(frame.passed() ? allowance.refused(3 * SECOND).outcome() : frame.outcome());
        }
        assertThat(outcomes).containsExactly(Allowance.Outcome.LIMITED, Allowance.Outcome.LIMITED,
                Allowance.Outcome.ABUSE, Allowance.Outcome.ABUSE);
    }

    @Test
    void strikesComeBackSlowly() {
        Allowance allowance = new Allowance(1, 0.001, 1, GRACE, now::get, metrics);
        allowance.heard(frames(allowance, 2).get(1).marker());
        assertThat(allowance.frame().outcome()).isEqualTo(Allowance.Outcome.LIMITED);
        now.addAndGet(Allowance.STRIKE_RETURN_SECONDS * SECOND);
        assertThat(allowance.frame().outcome()).as("forgiven after a while").isEqualTo(Allowance.Outcome.LIMITED);
        assertThat(allowance.frame().outcome()).isEqualTo(Allowance.Outcome.ABUSE);
    }
}
