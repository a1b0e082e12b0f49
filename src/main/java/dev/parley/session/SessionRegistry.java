package dev.parley.session;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The open sessions of this node, for keep-alive, shutdown, statistics and reaching a user's connections. */
@Component
public class SessionRegistry {
    private final Map<Long, ChatSession> sessions = new ConcurrentHashMap<>();
    /** A user's sessions, copied on change: few per user, read far more often than changed. */
    private final Map<String, ChatSession[]> byUser = new ConcurrentHashMap<>();
    private volatile Sinks.Empty<Void> emptied = Sinks.empty();
    private volatile boolean closing;

    /**
     * Registers an opening session.
     *
     * @throws ServerClosingException once shutdown has begun: new sessions are turned away
     */
    public void add(ChatSession session) {
        if (closing) {
            throw new ServerClosingException();
        }
        sessions.put(session.id(), session);
        byUser.compute(session.user().key(), (key, open) -> SessionArrays.with(open, session));
        if (closing) {
            // shutdown began meanwhile and may have missed this one
            remove(session);
            throw new ServerClosingException();
        }
    }

    /** The open sessions of one user (by case-insensitive key): the connections a room change reaches. */
    public List<ChatSession> of(String userKey) {
        ChatSession[] open = byUser.get(userKey);
        return open == null ? List.of() : Arrays.asList(open);
    }

    /** From now on new sessions are refused; the open ones are the shutdown's to close. */
    public void beginClosing() {
        closing = true;
    }

    /** Accepts sessions again: the application was stopped and started again (a Lifecycle may restart). */
    public void reopen() {
        closing = false;
    }

    public void remove(ChatSession session) {
        byUser.computeIfPresent(session.user().key(), (key, open) -> SessionArrays.without(open, session));
        if (sessions.remove(session.id()) != null && sessions.isEmpty()) {
            // FAIL_TERMINATED when it was signalled before: fine
            emptied.tryEmitEmpty();
        }
    }

    public Collection<ChatSession> all() {
        return sessions.values();
    }

    public int count() {
        return sessions.size();
    }

    /** Completes once no session is open. */
    public Mono<Void> whenEmpty() {
        return Mono.defer(() -> {
            if (sessions.isEmpty()) {
                return Mono.empty();
            }
            Sinks.Empty<Void> fresh = Sinks.empty();
            emptied = fresh;
            return sessions.isEmpty() ? Mono.empty() : fresh.asMono();
        });
    }
}
