package dev.parley.limits;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;

/**
 * A client went over one of its own limits ({@code rate_limited}). Unlike a busy server's
 * {@code rate_limited}, this one counts as a strike against the connection.
 */
public final class RateLimitedException extends ChatException {

    public RateLimitedException(String message) {
        super(ErrorCode.RATE_LIMITED, message);
    }
}
