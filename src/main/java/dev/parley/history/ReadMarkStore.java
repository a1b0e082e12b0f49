package dev.parley.history;

import reactor.core.publisher.Mono;

import java.util.Map;

/** Per user and room read marks, and the unread counts they give (seam like {@link MessageStore}). */
public interface ReadMarkStore {
    /**
     * The most an unread count says (the contract's bound: a client shows "999+"). Counting stops there, so a
     * mark far behind no longer makes every welcome read all that follows it.
     */
    int UNREAD_MAX = 1000;

    /**
     * The user's unread count in a room: messages after the read mark, not counting the user's own, at most
     * {@link #UNREAD_MAX}. A user without a mark gets one at {@code currentSeq} (a new member has nothing unread).
     */
    default Mono<Long> unread(String room, String user, long currentSeq) {
        return unread(user, Map.of(room, currentSeq)).map(counts -> counts.get(room));
    }

    /** {@link #unread(String, String, long)} for several rooms (room to its current seq) in one store read. */
    Mono<Map<String, Long>> unread(String user, Map<String, Long> currentSeqs);

    /** Moves the read mark forward to {@code seq} (never backwards). */
    Mono<Void> markRead(String room, String user, long seq);
}
