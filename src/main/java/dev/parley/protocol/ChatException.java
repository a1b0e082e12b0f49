package dev.parley.protocol;

/**
 * A request the contract refuses: carries the error code and a human-readable message.
 * Thrown or signalled by the chat services; each transport renders it its own way
 * (an {@code error} frame, a JSON body, an {@code ERROR} line). Stack-less: it is a reply, not a fault.
 */
public class ChatException extends RuntimeException {
    private final ErrorCode code;

    public ChatException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
