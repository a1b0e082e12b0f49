package dev.parley.identity;

import reactor.core.publisher.Mono;

import java.util.Map;

/** The registered users the server knows, stored durably (seam like the message store). */
public interface UserStore {

    /** Every known registered user: key to the name as the user spells it. Read once at startup. */
    Mono<Map<String, String>> load();

    /** Records a user known from elsewhere (single sign-on), unless known already. */
    Mono<Void> remember(String key, String name);

    /** Records a new account with its password hash; errors if the name is taken. */
    Mono<Void> register(String key, String name, String passwordHash);

    /** The password hash of an account; empty for an unknown user or one without a password. */
    Mono<String> passwordHash(String key);
}
