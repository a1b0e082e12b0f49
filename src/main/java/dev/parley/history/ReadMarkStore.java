package dev.parley.history;

import reactor.core.publisher.Mono;

/** Per user and room read marks, and the unread counts they give (seam like {@link MessageStore}). */
public interface ReadMarkStore {

    /**
     * The user's unread count in a room: messages after the read mark, not counting the user's own.
     * A user without a mark gets one at {@code currentSeq} (a new member has nothing unread).
     */
    Mono<Long> unread(String room, String user, long currentSeq);

    /** Moves the read mark forward to {@code seq} (never backwards). */
    Mono<Void> markRead(String room, String user, long seq);
}
