package dev.parley.account;

import dev.parley.config.ParleyProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Passwords are hashed with Argon2id, on the hasher's own threads, never the caller's. */
class PasswordHasherTests {
    private final PasswordHasher hasher = new PasswordHasher(new Binder(new MapConfigurationPropertySource(Map.of(
            "parley.auth.argon2.memory-kib", "64", "parley.auth.argon2.iterations", "1")))
            .bindOrCreate("parley", ParleyProperties.class));

    @AfterEach
    void stop() {
        hasher.destroy();
    }

    @Test
    void hashingAndCheckingRunOnTheHashersThreads() {
        StepVerifier.create(hasher.hash("a fine password").map(hash -> Thread.currentThread().getName() + " " + hash))
                .assertNext(threadAndHash -> assertThat(threadAndHash).startsWith("parley-hash-")
                        .contains(" {argon2}$argon2id$v=19$m=64,t=1,p=1$"))
                .expectComplete().verify(Duration.ofSeconds(10));
        String hash = hasher.hash("a fine password").block(Duration.ofSeconds(10));
        StepVerifier.create(hasher.matches("a fine password", hash).map(ok -> Thread.currentThread().getName() + " " + ok))
                .assertNext(threadAndResult -> assertThat(threadAndResult).startsWith("parley-hash-").endsWith(" true"))
                .expectComplete().verify(Duration.ofSeconds(10));
    }

    @Test
    void onlyTheRightPasswordMatchesAndNoHashNeverDoes() {
        String hash = hasher.hash("a fine password").block(Duration.ofSeconds(10));
        assertThat(hasher.hash("a fine password").block(Duration.ofSeconds(10))).as("salted").isNotEqualTo(hash);
        assertThat(hasher.matches("a fine password", hash).block(Duration.ofSeconds(10))).isTrue();
        assertThat(hasher.matches("a fine passworD", hash).block(Duration.ofSeconds(10))).isFalse();
        assertThat(hasher.matches("a fine password", null).block(Duration.ofSeconds(10))).isFalse();
        assertThat(Mono.from(hasher.matches("", null)).block(Duration.ofSeconds(10))).isFalse();
    }

    @Test
    void theDefaultCostIsOwaspsArgon2idMinimum() {
        ParleyProperties.Argon2 defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("parley", ParleyProperties.class).auth().argon2();
        assertThat(defaults.memoryKib()).isEqualTo(19 * 1024);
        assertThat(defaults.iterations()).isEqualTo(2);
        assertThat(defaults.parallelism()).isEqualTo(1);
    }
}
