package dev.parley.identity;

import dev.parley.presence.PresenceRegistry;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Names;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who a name belongs to: a registered user (known durably, online or not) or a guest online right
 * now. A guest is nobody once its connection is gone, so a name is never both.
 */
@Component
public class UserDirectory {
    private final Map<String, String> registered = new ConcurrentHashMap<>();
    private final UserStore store;
    private final PresenceRegistry presence;

    public UserDirectory(UserStore store, PresenceRegistry presence) {
        this.store = store;
        this.presence = presence;
        // startup, on the main thread
        registered.putAll(store.load().block(Duration.ofSeconds(60)));
    }

    public boolean isRegistered(String name) {
        return registered.containsKey(Names.key(name));
    }

    /** The user a name belongs to, spelled as that user spells it, if anybody. */
    public Optional<ChatUser> find(String name) {
        String known = registered.get(Names.key(name));
        if (known != null) {
            return Optional.of(new ChatUser(known, false));
        }
        return presence.find(name);
    }

    /** Like {@link #find}, for a name that must belong to somebody: {@code no_such_user} otherwise. */
    public ChatUser require(String name) {
        return find(name).orElseThrow(() -> new ChatException(ErrorCode.NO_SUCH_USER, "nobody is called '" + name + "'"));
    }

    /**
     * Makes a new account. The name is claimed in memory first, so of two registrations racing for
     * it exactly one wins ({@code name_taken} for the other); a failed store write frees it again.
     */
    public Mono<ChatUser> register(String name, String passwordHash) {
        String key = Names.key(name);
        if (presence.isOnline(name) || registered.putIfAbsent(key, name) != null) {
            return Mono.error(new ChatException(ErrorCode.NAME_TAKEN, "'" + name + "' is taken"));
        }
        return store.register(key, name, passwordHash)
                .doOnError(e -> registered.remove(key, name))
                .thenReturn(new ChatUser(name, false));
    }

    /** The password hash of a registered user; empty if it has none (single sign-on). */
    public Mono<String> passwordHash(ChatUser user) {
        return store.passwordHash(user.key());
    }

    /** Records a user known from single sign-on the first time it shows up; nothing for guests or known users. */
    public Mono<Void> remember(ChatUser user) {
        if (user.guest() || registered.putIfAbsent(user.key(), user.name()) != null) {
            return Mono.empty();
        }
        return store.remember(user.key(), user.name());
    }
}
