package dev.parley.identity;

import reactor.core.publisher.Mono;

import java.util.Map;

/** The registered users the server knows, stored durably (seam like the message store). */
public interface UserStore {

    /** Every known registered user: key to the name as the user spells it. Read once at startup. */
    Mono<Map<String, String>> load();

    /** Records a registered user, unless known already. */
    Mono<Void> remember(String key, String name);
}
