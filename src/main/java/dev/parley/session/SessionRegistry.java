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

    public void add(ChatSession session) {
        sessions.put(session.id(), session);
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
