package dev.parley.limits;

import dev.parley.config.ParleyProperties;
import dev.parley.identity.ChatUser;
import dev.parley.stats.Limit;
import dev.parley.stats.ParleyMetrics;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The rate limits: frames per connection ({@link Allowance}), messages per user, logins and
 * registrations per address, and rooms per user. Every refusal is counted by {@link Limit}.
 */
@Component
public class AbuseLimits implements DisposableBean {
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

    private final ParleyProperties.Abuse config;
    private final ParleyMetrics metrics;
    private final LongSupplier nanoClock = System::nanoTime;
    private final KeyedBuckets messagesByUser;
    private final KeyedBuckets authByAddress;
    private final Disposable sweeper;

    public AbuseLimits(ParleyProperties properties, ParleyMetrics metrics) {
        this.config = properties.abuse();
        this.metrics = metrics;
        this.messagesByUser = new KeyedBuckets(config.messagesBurst(), config.messagesPerSecond(), nanoClock);
        this.authByAddress = new KeyedBuckets(config.authPerMinute(), config.authPerMinute() / 60.0, nanoClock);
        this.sweeper = Flux.interval(SWEEP_INTERVAL).subscribe(tick -> {
            messagesByUser.sweep();
            authByAddress.sweep();
        });
    }

    /** A new connection's frame allowance. */
    public Allowance newAllowance() {
        return new Allowance(config.framesBurst(), config.framesPerSecond(), config.strikes(), nanoClock, metrics);
    }

    /** A user sends a message: refused when the user's messages, over all its connections, go too fast. */
    public void checkMessage(ChatUser user) {
        if (!messagesByUser.tryTake(user.key())) {
            metrics.refused(Limit.MESSAGES);
            throw new RateLimitedException("too many messages; slow down");
        }
    }

    /** A login or registration from an address. */
    public void checkAuthAttempt(String address) {
        if (!authByAddress.tryTake(address)) {
            metrics.refused(Limit.AUTH_ATTEMPTS);
            throw new RateLimitedException("too many attempts from your address; wait a minute");
        }
    }

    /** A user who has created {@code created} rooms that still exist wants another. */
    public void checkRoomsCreated(long created) {
        if (created >= config.roomsPerUser()) {
            metrics.refused(Limit.ROOMS);
            throw new RateLimitedException("you have created " + created
                    + " rooms, the most allowed; leave one empty to create another");
        }
    }

    @Override
    public void destroy() {
        sweeper.dispose();
    }
}
