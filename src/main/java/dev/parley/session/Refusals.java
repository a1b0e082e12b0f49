package dev.parley.session;

import dev.parley.limits.Allowance;
import dev.parley.limits.RateLimitedException;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.stats.CloseReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a connection answers a request it will not carry out, the same for every transport: the
 * contract's {@code error}; for a client over its own limits a strike as well, and once it is out
 * of strikes the connection ends (1008).
 */
public final class Refusals {
    private static final Logger log = LoggerFactory.getLogger(Refusals.class);
    public static final String ABUSIVE = "rate limits exceeded again and again";

    private Refusals() {
    }

    /**
     * A request that failed. A client over its own limit is refused under its allowance (which may end
     * the connection); a failure nobody foresaw is logged here and answered only as {@code internal}.
     *
     * @return whether the connection stays open
     */
    public static boolean failed(ChatSession session, Allowance allowance, String id, Throwable e) {
        if (e instanceof RateLimitedException limited) {
            return overLimit(session, allowance.refused(limited.retryAfterNanos()), id, limited.getMessage());
        }
        session.reply(error(id, e, session));
        return true;
    }

    /**
     * A request over a limit: {@code rate_limited} with the wait, or the end of the connection when the
     * verdict is abuse.
     *
     * @return whether the connection stays open
     */
    public static boolean overLimit(ChatSession session, Allowance.Verdict verdict, String id, String message) {
        if (verdict.outcome() == Allowance.Outcome.ABUSE) {
            session.transport().close(CloseReason.LIMIT, CloseCodes.POLICY, ABUSIVE);
            return false;
        }
        session.reply(new ServerFrame.Error(id, ErrorCode.RATE_LIMITED.wire(), message, verdict.retryAfterMs()));
        return true;
    }

    /** The error frame for a failure; one nobody foresaw is logged, and the client learns only {@code internal}. */
    public static ServerFrame.Error error(String id, Throwable e, ChatSession session) {
        if (e instanceof ChatException refused) {
            return ServerFrame.Error.of(id, refused);
        }
        log.error("Request of {} failed", session == null ? "a client logging in" : session.user().name(), e);
        return new ServerFrame.Error(id, ErrorCode.INTERNAL.wire(), "the server could not handle this request");
    }
}
