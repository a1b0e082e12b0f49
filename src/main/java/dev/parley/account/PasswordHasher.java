package dev.parley.account;

import dev.parley.config.ParleyProperties;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;

/**
 * Hashes and checks passwords on a scheduler of its own, never on an event loop: one Argon2id hash
 * costs tens of milliseconds of CPU and {@code memory-kib} of memory. Threads and queue are bounded,
 * so a login flood is refused ({@code rate_limited}) instead of exhausting memory.
 * <p>
 * Hashes are stored as {@code {argon2}...}: the prefix lets a later version change the algorithm
 * or its cost and still check old hashes ({@code {bcrypt}} is understood too).
 */
@Component
class PasswordHasher implements DisposableBean {
    private static final String ARGON2 = "argon2";

    private final PasswordEncoder encoder;
    private final Scheduler scheduler;
    /** Checked against when the user is unknown, so that the answer takes as long as for a known one. */
    private final String decoy;

    PasswordHasher(ParleyProperties properties) {
        ParleyProperties.Argon2 cost = properties.auth().argon2();
        Argon2PasswordEncoder argon2 = new Argon2PasswordEncoder(16, 32, cost.parallelism(), cost.memoryKib(),
                cost.iterations());
        this.encoder = new DelegatingPasswordEncoder(ARGON2,
                Map.of(ARGON2, argon2, "bcrypt", new BCryptPasswordEncoder()));
        this.scheduler = Schedulers.newBoundedElastic(cost.threads(), cost.queue(), "parley-hash");
        // at startup, on the main thread
        this.decoy = encoder.encode("not the password of anybody");
    }

    Mono<String> hash(String password) {
        return offload(() -> encoder.encode(password));
    }

    /** Whether the password matches the stored hash; {@code null} (no such user) never matches. */
    Mono<Boolean> matches(String password, String storedHash) {
        return offload(() -> {
            boolean matches = encoder.matches(password, storedHash != null ? storedHash : decoy);
            return matches && storedHash != null;
        });
    }

    private <T> Mono<T> offload(Callable<T> work) {
        return Mono.fromCallable(work)
                .subscribeOn(scheduler)
                .onErrorMap(RejectedExecutionException.class,
                        e -> new ChatException(ErrorCode.RATE_LIMITED, "the server is busy; retry shortly"));
    }

    @Override
    public void destroy() {
        scheduler.dispose();
    }
}
