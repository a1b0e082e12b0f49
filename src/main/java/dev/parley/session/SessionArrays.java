package dev.parley.session;

import java.util.Arrays;

/** Copy-on-write arrays of sessions: for indexes read far more often than changed, each holding a session once. */
final class SessionArrays {

    private SessionArrays() {
    }

    /** The sessions with {@code session} added; {@code open} may be null (none). */
    static ChatSession[] with(ChatSession[] open, ChatSession session) {
        if (open == null) {
            return new ChatSession[] {session};
        }
        ChatSession[] more = Arrays.copyOf(open, open.length + 1);
        more[open.length] = session;
        return more;
    }

    /** The sessions without {@code session}, or null when none is left (a map drops the entry). */
    static ChatSession[] without(ChatSession[] open, ChatSession session) {
        for (int i = 0; i < open.length; i++) {
            if (open[i] == session) {
                if (open.length == 1) {
                    return null;
                }
                ChatSession[] fewer = new ChatSession[open.length - 1];
                System.arraycopy(open, 0, fewer, 0, i);
                System.arraycopy(open, i + 1, fewer, i, fewer.length - i);
                return fewer;
            }
        }
        return open;
    }
}
