package dev.parley.protocol;

/** The contract's rule for message text, shared by every transport. */
public final class MessageText {
    private MessageText() {
    }

    /**
     * Trims the text and checks its length in characters (Unicode code points).
     *
     * @return the trimmed text
     * @throws InvalidFrameException {@code bad_request} when blank, {@code too_large} when too long
     */
    public static String validate(String text, int max, String id) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new InvalidFrameException(ErrorCode.BAD_REQUEST, "message text is blank", id);
        }
        if (trimmed.length() > max && trimmed.codePointCount(0, trimmed.length()) > max) {
            throw new InvalidFrameException(ErrorCode.TOO_LARGE,
                    "message text is longer than " + max + " characters", id);
        }
        return trimmed;
    }
}
