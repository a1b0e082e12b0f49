package dev.parley.session;

import dev.parley.presence.PresenceEvent;
import dev.parley.presence.PresenceRegistry;
import dev.parley.stats.ParleyMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands each presence event to the connections that hear it: while it is a broadcast (few users
 * online), every connection that follows presence; past {@code broadcast-max}, only the connections
 * whose {@code presence_sub} names the user, found in an index from user key to watchers. A user's
 * coming and going so costs its watchers, not every connection (a reconnect storm was quadratic).
 * <p>
 * Threading: events come from the registry's single drainer, one at a time and in order, so one
 * user's online and offline reach each connection in order; handing one over only queues it on
 * the connection's bounded outbox, never blocks. {@link #watch} and {@link #forget} run on any thread.
 */
@Component
public class PresenceWatchers {
    private static final Logger log = LoggerFactory.getLogger(PresenceWatchers.class);

    /**
     * The connections watching each user, a concurrent set per user (not copied on change: a popular user
     * may have thousands of watchers, and a reconnect storm adds them one by one), changed only inside the
     * map's step for that user. A connection that watches nobody is in no entry, so it costs nothing here.
     */
    private final Map<String, Set<ChatSession>> byWatched = new ConcurrentHashMap<>();
    private final SessionRegistry sessions;
    private final ParleyMetrics metrics;

    public PresenceWatchers(PresenceRegistry presence, SessionRegistry sessions, ParleyMetrics metrics) {
        this.sessions = sessions;
        this.metrics = metrics;
        // the registry's one subscriber, for the application's life: one subscription, not one per connection
        presence.events().subscribe(this::route);
    }

    /**
     * Replaces the users a connection watches (a {@code presence_sub}); a closed connection keeps none.
     * Under the session's monitor, as {@link ChatSession#dispose} sets it closed: a change either comes
     * before the close, and {@link #forget} then takes it out again, or does not happen.
     */
    public void watch(ChatSession session, Set<String> userKeys) {
        Set<String> next = Set.copyOf(userKeys);
        session.whileOpen(() -> {
            Set<String> before = session.swapPresenceWatch(next);
            for (String key : before) {
                if (!next.contains(key)) {
                    unwatch(key, session);
                }
            }
            for (String key : next) {
                if (!before.contains(key)) {
                    byWatched.compute(key, (k, watching) -> {
                        Set<ChatSession> more = watching != null ? watching : ConcurrentHashMap.newKeySet();
                        more.add(session);
                        return more;
                    });
                }
            }
        });
    }

    /** Takes a connection out of the index once {@link ChatSession#dispose} has closed it. */
    public void forget(ChatSession session) {
        for (String key : session.swapPresenceWatch(Set.of())) {
            unwatch(key, session);
        }
    }

    private void unwatch(String key, ChatSession session) {
        byWatched.computeIfPresent(key, (k, watching) -> {
            watching.remove(session);
            return watching.isEmpty() ? null : watching;
        });
    }

    /** Users watched by at least one connection (for tests: the index keeps nothing of closed connections). */
    int watchedUsers() {
        return byWatched.size();
    }

    private void route(PresenceEvent event) {
        int handed = 0;
        if (event.broadcast()) {
            for (ChatSession session : sessions.all()) {
                handed += hand(session, event);
            }
        } else {
            Set<ChatSession> watching = byWatched.get(event.userKey());
            if (watching != null) {
                for (ChatSession session : watching) {
                    handed += hand(session, event);
                }
            }
        }
        metrics.presenceDelivered(handed);
    }

    /** Hands the event to one connection; a failure there must not cost the others theirs. */
    private static int hand(ChatSession session, PresenceEvent event) {
        if (!session.hearsPresence()) {
            return 0;
        }
        try {
            session.deliver(event);
        } catch (RuntimeException e) {
            // thrown out of route, it would end the one subscription: presence would stop for everybody
            log.warn("presence event not handed to connection {}", session.id(), e);
        }
        return 1;
    }
}
