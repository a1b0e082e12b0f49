package dev.parley.account;

import reactor.core.publisher.Mono;

import java.time.Instant;

/** Login tokens, stored durably by their hash only (seam like the message store). */
public interface TokenStore {

    /** A token of a user, valid until {@code expiresAt}; also forgets the user's expired tokens. */
    Mono<Void> save(String tokenHash, String userKey, Instant expiresAt);

    /** The token with this hash, if it exists (expired or not). */
    Mono<StoredToken> find(String tokenHash);

    /** Ends a token: it is never valid again. */
    Mono<Void> revoke(String tokenHash);

    /** A stored token: whose, and until when. */
    record StoredToken(String userKey, Instant expiresAt) {
    }
}
