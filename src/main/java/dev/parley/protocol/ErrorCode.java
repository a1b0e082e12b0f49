package dev.parley.protocol;

/** The {@code code} values of the contract's {@code error} frame, with the HTTP status REST uses for each. */
public enum ErrorCode {
    BAD_REQUEST("bad_request", 400),
    TOO_LARGE("too_large", 413),
    NO_SUCH_ROOM("no_such_room", 404),
    ROOM_EXISTS("room_exists", 409),
    NOT_MEMBER("not_member", 403),
    FORBIDDEN("forbidden", 403),
    NO_SUCH_USER("no_such_user", 404),
    NAME_TAKEN("name_taken", 409),
    UNAUTHORIZED("unauthorized", 401),
    RATE_LIMITED("rate_limited", 429),
    INTERNAL("internal", 500);

    private final String wire;
    private final int httpStatus;

    ErrorCode(String wire, int httpStatus) {
        this.wire = wire;
        this.httpStatus = httpStatus;
    }

    public String wire() {
        return wire;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
