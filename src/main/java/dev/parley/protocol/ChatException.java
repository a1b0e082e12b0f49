package dev.parley.protocol;

/**
 * A request the contract refuses: carries the error code and a human-readable message, and for
 * {@code rate_limited} how long to wait before trying again.
 * Thrown or signalled by the chat services; each transport renders it its own way
 * (an {@code error} frame, a JSON body, an {@code ERROR} line). Stack-less: it is a reply, not a fault.
 */
public class ChatException extends RuntimeException {
    /** The wait given when the server is busy and cannot know how long for: a moment, not a penalty. */
    public static final long BUSY_RETRY_MS = 1_000;

    private final ErrorCode code;
    private final long retryAfterMs;

    public ChatException(ErrorCode code, String message) {
        this(code, message, code == ErrorCode.RATE_LIMITED ? BUSY_RETRY_MS : -1);
    }

    protected ChatException(ErrorCode code, String message, long retryAfterMs) {
        super(message, null, false, false);
        this.code = code;
        this.retryAfterMs = retryAfterMs;
    }

    /** A {@code rate_limited} refusal with the wait the server knows, outside any client's strikes. */
    public static ChatException rateLimited(String message, long retryAfterMs) {
        return new ChatException(ErrorCode.RATE_LIMITED, message, retryAfterMs);
    }

    public ErrorCode code() {
        return code;
    }

    /** Milliseconds to wait before the request would be accepted; null where no wait applies. */
    public Long retryAfterMs() {
        return retryAfterMs < 0 ? null : retryAfterMs;
    }
}
