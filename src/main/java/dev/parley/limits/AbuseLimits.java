package dev.parley.limits;

import dev.parley.config.ParleyProperties;
import dev.parley.identity.ChatUser;
import dev.parley.presence.PresenceRegistry;
import dev.parley.stats.Limit;
import dev.parley.stats.ParleyMetrics;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The rate limits: frames per connection ({@link Allowance}), messages per user, sign-ins per
 * address. Every refusal is counted by {@link Limit} and says how long to wait. Time comes from the
 * application's {@link Clock}, so that tests move it instead of waiting.
 */
@Component
public class AbuseLimits implements DisposableBean {
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

    private final ParleyProperties.Abuse config;
    private final ParleyMetrics metrics;
    private final LongSupplier nanoClock;
    private final KeyedBuckets messagesByUser;
    private final PresenceRegistry presence;
    private final KeyedBuckets authByAddress;
    private final SharedLimits shared;
    private final Disposable sweeper;

    public AbuseLimits(ParleyProperties properties, ParleyMetrics metrics, Clock clock, PresenceRegistry presence,
                       SharedLimits shared) {
        this.presence = presence;
        this.shared = shared;
        this.config = properties.abuse();
        this.metrics = metrics;
        // the monotonic clock in production (a wall clock can step back); the application's when a test moves it
        this.nanoClock = Clock.systemUTC().equals(clock) ? System::nanoTime : () -> nanos(clock.instant());
        this.messagesByUser = new KeyedBuckets(config.messagesBurst(), config.messagesPerSecond(), nanoClock);
        this.authByAddress = new KeyedBuckets(config.authPerMinute(), config.authPerMinute() / 60.0, nanoClock);
        this.sweeper = Flux.interval(SWEEP_INTERVAL).subscribe(tick -> {
            messagesByUser.sweep();
            authByAddress.sweep();
        });
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /** A new connection's frame allowance. */
    public Allowance newAllowance() {
        return new Allowance(config.framesBurst(), config.framesPerSecond(), config.strikes(),
                config.refusalGrace().toNanos(), nanoClock, metrics);
    }

    /**
     * A user sends a message: refused when the user's messages, over all its connections, go too fast. A user
     * connected through k nodes pays k tokens here, so that the k nodes' buckets together allow the user's rate.
     */
    public void checkMessage(ChatUser user) {
        long wait = messagesByUser.take(user.key(), presence.nodesOf(user.key()));
        if (wait != 0) {
            metrics.refused(Limit.MESSAGES);
            throw new RateLimitedException("too many messages; slow down", wait);
        }
    }

    /**
     * A sign-in or registration from an address spends one of the address's attempts, on this node and (cluster
     * mode) in the cluster's count; a sign-in that succeeds gives it back ({@link #signedIn}), so only failures and
     * new accounts are limited.
     */
    public Mono<Void> authAttempt(String address) {
        try {
            checkAuthAttempt(address);
        } catch (RateLimitedException refused) {
            return Mono.error(refused);
        }
        return shared.attempt(address, config.authPerMinute()).flatMap(waitMillis -> {
            if (waitMillis == 0) {
                return Mono.empty();
            }
            metrics.refused(Limit.AUTH_ATTEMPTS);
            return Mono.error(tooManyAttempts(TimeUnit.MILLISECONDS.toNanos(waitMillis)));
        });
    }

    private void checkAuthAttempt(String address) {
        long wait = authByAddress.take(address);
        if (wait != 0) {
            metrics.refused(Limit.AUTH_ATTEMPTS);
            throw tooManyAttempts(wait);
        }
    }

    private static RateLimitedException tooManyAttempts(long waitNanos) {
        return new RateLimitedException("too many attempts from your address; slow down", waitNanos);
    }

    /** A sign-in from the address succeeded: its attempt is given back (many people behind one address sign in). */
    public void signedIn(String address) {
        authByAddress.giveBack(address);
        shared.attemptSucceeded(address);
    }

    @Override
    public void destroy() {
        sweeper.dispose();
    }
}
