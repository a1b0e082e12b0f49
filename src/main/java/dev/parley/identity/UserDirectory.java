package dev.parley.identity;

import dev.parley.bus.Bus;
import dev.parley.bus.BusListener;
import dev.parley.presence.PresenceRegistry;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Names;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who a name belongs to: a registered user (known durably, online or not) or a guest online right
 * now. A guest is nobody once its connection is gone, so a name is never both.
 */
@Component
public class UserDirectory implements BusListener {
    private final Map<String, String> registered = new ConcurrentHashMap<>();
    /** Keys of the accounts of this server (with a password), as opposed to users known through single sign-on. */
    private final Set<String> local = ConcurrentHashMap.newKeySet();
    private final UserStore store;
    private final PresenceRegistry presence;
    private final ObjectProvider<Bus> bus;

    public UserDirectory(UserStore store, PresenceRegistry presence, ObjectProvider<Bus> bus) {
        this.store = store;
        this.presence = presence;
        this.bus = bus;
        // startup, on the main thread
        store.load().block(Duration.ofSeconds(60)).forEach((key, user) -> onRegistered(key, user.name(), user.local()));
    }

    /** A user stored by any node (this one included): known here from now on. */
    @Override
    public void onRegistered(String userKey, String name, boolean isLocal) {
        registered.putIfAbsent(userKey, name);
        if (isLocal) {
            local.add(userKey);
        }
    }

    /** Users another node registered while its bus was away are read from the store too. */
    @Override
    public void onPeerResumed() {
        onResumed();
    }

    /** The bus was away: users registered on other nodes meanwhile are read from the store. */
    @Override
    public void onResumed() {
        store.load().subscribe(users -> users.forEach((key, user) -> onRegistered(key, user.name(), user.local())),
                failure -> { });
    }

    public boolean isRegistered(String name) {
        return registered.containsKey(Names.key(name));
    }

    /** Whether the name is an account of this server, with a password (not a single sign-on user's). */
    public boolean isLocalAccount(String name) {
        return local.contains(Names.key(name));
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
     * Makes a new account. The name is claimed in memory first, then checked against the guests
     * online (a guest checks against the registered names after claiming its own: of a guest and a
     * registration racing for a name, one of the two always sees the other). Of two registrations,
     * exactly one wins. A failed store write frees the name again.
     */
    public Mono<ChatUser> register(String name, String passwordHash) {
        String key = Names.key(name);
        if (!claim(key, name)) {
            return Mono.error(taken(name));
        }
        local.add(key);
        // deferred: a full store line refuses at the call, and that too must free the name
        return Mono.defer(() -> store.register(key, name, passwordHash))
                .doOnError(e -> {
                    local.remove(key);
                    registered.remove(key, name);
                })
                .doOnSuccess(stored -> bus.getObject().registered(key, name, true))
                .thenReturn(new ChatUser(name, false));
    }

    /** The password hash of a registered user; empty if it has none (single sign-on). */
    public Mono<String> passwordHash(ChatUser user) {
        return store.passwordHash(user.key());
    }

    /**
     * Records a user known from single sign-on the first time it shows up; nothing for guests or
     * known users. Refused ({@code name_taken}) while a guest uses the name.
     */
    public Mono<Void> remember(ChatUser user) {
        if (user.guest() || registered.containsKey(user.key())) {
            return Mono.empty();
        }
        if (!claim(user.key(), user.name())) {
            return registered.containsKey(user.key()) ? Mono.empty() : Mono.error(taken(user.name()));
        }
        // deferred: a full store line refuses at the call, and callers take that as an error signal
        return Mono.defer(() -> store.remember(user.key(), user.name()))
                .doOnSuccess(stored -> bus.getObject().registered(user.key(), user.name(), false));
    }

    /** Takes a free name for a registered user: not registered already, and no guest online with it. */
    private boolean claim(String key, String name) {
        if (registered.putIfAbsent(key, name) != null) {
            return false;
        }
        if (presence.isOnline(name)) {
            registered.remove(key, name);
            return false;
        }
        return true;
    }

    private static ChatException taken(String name) {
        return new ChatException(ErrorCode.NAME_TAKEN, "'" + name + "' is taken");
    }
}
