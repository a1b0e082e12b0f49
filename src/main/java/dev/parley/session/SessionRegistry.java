package dev.parley.session;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The open sessions of this node, for keep-alive, shutdown and statistics. */
@Component
public class SessionRegistry {
    private final Map<Long, ChatSession> sessions = new ConcurrentHashMap<>();
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
        if (closing) {
            // shutdown began meanwhile and may have missed this one
            sessions.remove(session.id());
            throw new ServerClosingException();
        }
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
