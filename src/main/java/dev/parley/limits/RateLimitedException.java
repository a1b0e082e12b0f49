package dev.parley.limits;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;

import java.util.concurrent.TimeUnit;

/**
 * A client went over one of its own limits ({@code rate_limited}), with the wait its bucket knows.
 * Unlike a busy server's {@code rate_limited}, this one can count as a strike against the connection.
 */
public final class RateLimitedException extends ChatException {
    private final long retryAfterNanos;

    public RateLimitedException(String message, long retryAfterNanos) {
        super(ErrorCode.RATE_LIMITED, message, retryMillis(retryAfterNanos));
        this.retryAfterNanos = retryAfterNanos;
    }

    public long retryAfterNanos() {
        return retryAfterNanos;
    }

    /** A wait in whole milliseconds, rounded up: a client that waits exactly this long is never early. */
    static long retryMillis(long nanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
    }
}
