package dev.parley.session;

import dev.parley.stats.CloseReason;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Logging out reaches every connection its token has open, however openings and closings race. */
class TokenConnectionsTests {

    @Test
    void aConnectionOpeningAsAnotherClosesIsAlwaysWhereTheLogoutLooks() throws Exception {
        TokenConnections tokens = new TokenConnections(null);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier start = new CyclicBarrier(2);
            List<Future<Integer>> lost = new ArrayList<>();
            for (int thread = 0; thread < 2; thread++) {
                lost.add(threads.submit(() -> {
                    await(start);
                    int orphaned = 0;
                    for (int i = 0; i < 300_000; i++) {
                        FakeTransport connection = new FakeTransport();
                        tokens.opened("shared", connection);
                        // the other thread's last connection closing must not drop the set this one joined
                        if (!tokens.reaches("shared", connection)) {
                            orphaned++;
                        }
                        tokens.closed("shared", connection);
                    }
                    return orphaned;
                }));
            }
            for (Future<Integer> orphaned : lost) {
                assertThat(orphaned.get(60, TimeUnit.SECONDS)).isZero();
            }
            assertThat(tokens.tokens()).as("nothing kept once all closed").isZero();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aConnectionOfATokenLoggedOutMeanwhileIsClosedAsItOpens() {
        TokenConnections tokens = new TokenConnections(null);
        tokens.onLoggedOut("gone");
        FakeTransport late = new FakeTransport();
        assertThat(tokens.opened("gone", late)).isFalse();
        assertThat(late.closes()).extracting(FakeTransport.Close::reason).containsExactly(CloseReason.LOGGED_OUT);
        assertThat(tokens.tokens()).isZero();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
