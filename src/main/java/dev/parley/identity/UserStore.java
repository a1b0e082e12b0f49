package dev.parley.identity;

import reactor.core.publisher.Mono;

import java.util.Map;

/** The registered users the server knows, stored durably (seam like the message store). */
public interface UserStore {

    /** Every known registered user by key. Read once at startup. */
    Mono<Map<String, KnownUser>> load();

    /** Records a user known from elsewhere (single sign-on), unless known already. */
    Mono<Void> remember(String key, String name);

    /** Records a new account with its password hash; errors if the name is taken. */
    Mono<Void> register(String key, String name, String passwordHash);

    /** The password hash of an account; empty for an unknown user or one without a password. */
    Mono<String> passwordHash(String key);

    /**
     * A registered user as stored.
     *
     * @param name as the user spells it
     * @param local whether it is an account of this server (with a password), not one known through single sign-on
     */
    record KnownUser(String name, boolean local) {
    }
}
