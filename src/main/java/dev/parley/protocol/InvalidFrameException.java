package dev.parley.protocol;

/** A client frame that breaks the contract; {@code id} is the frame's id when it could be read. */
public final class InvalidFrameException extends ChatException {
    private final String id;

    public InvalidFrameException(ErrorCode code, String message, String id) {
        super(code, message);
        this.id = id;
    }

    public String id() {
        return id;
    }
}
