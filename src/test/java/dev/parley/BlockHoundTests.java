package dev.parley;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.time.Duration;

/** Proves BlockHound is active for the whole suite: a blocking call on a non-blocking thread fails. */
class BlockHoundTests {

    @Test
    void blockingCallOnNonBlockingThreadIsDetected() {
        Mono<String> blocking = Mono.fromCallable(() -> {
            Thread.yield();
            return "yielded";
        }).subscribeOn(Schedulers.parallel());

        StepVerifier.create(blocking)
                .expectErrorSatisfies(e -> org.assertj.core.api.Assertions.assertThat(e)
                        .hasMessageContaining("Blocking call"))
                .verify(Duration.ofSeconds(5));
        // this violation is the point of the test: do not let it fail the suite's blocking-call check
        dev.parley.support.NoBlockingCallsAccess.clear();
    }
}
