package dev.parley.account;

import dev.parley.config.ParleyProperties;
import dev.parley.identity.ChatUser;
import dev.parley.identity.UserAuthentication;
import dev.parley.identity.UserDirectory;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Names;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Accounts and their login tokens. Passwords are hashed on {@link PasswordHasher}'s threads; tokens
 * are checked against the store on its read threads. Nothing here runs long on an event loop.
 */
@Service
public class AccountService {
    static final int PASSWORD_MIN = 8;
    static final int PASSWORD_MAX = 128;
    private static final ChatException WRONG_CREDENTIALS =
            new ChatException(ErrorCode.UNAUTHORIZED, "wrong username or password");

    private final UserDirectory users;
    private final TokenStore tokens;
    private final PasswordHasher hasher;
    private final Duration tokenTtl;
    private final boolean registration;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    AccountService(UserDirectory users, TokenStore tokens, PasswordHasher hasher, ParleyProperties properties,
                   Clock clock, ApplicationEventPublisher events) {
        this.events = events;
        this.users = users;
        this.tokens = tokens;
        this.hasher = hasher;
        this.tokenTtl = properties.auth().tokenTtl();
        this.registration = properties.auth().registration();
        this.clock = clock;
        // at startup, on the main thread: never on the first event loop that issues a token
        AccessTokens.seed();
    }

    /** A login: who, and the token that proves it from now on. */
    public record Login(ChatUser user, String token, Duration ttl) {
    }

    public Mono<ChatUser> register(String username, String password) {
        if (!registration) {
            return Mono.error(new ChatException(ErrorCode.FORBIDDEN, "registration is closed on this server"));
        }
        if (username == null || !Names.isValidUser(username)) {
            return Mono.error(new ChatException(ErrorCode.BAD_REQUEST,
                    "a username is " + Names.USER_RULE));
        }
        if (password == null || password.length() < PASSWORD_MIN || password.length() > PASSWORD_MAX) {
            return Mono.error(new ChatException(ErrorCode.BAD_REQUEST,
                    "a password is " + PASSWORD_MIN + "-" + PASSWORD_MAX + " characters"));
        }
        if (users.find(username).isPresent()) {
            // checked before hashing too, so that a taken name costs no hash
            return Mono.error(new ChatException(ErrorCode.NAME_TAKEN, "'" + username + "' is taken"));
        }
        return hasher.hash(password).flatMap(hash -> users.register(username, hash));
    }

    /** Checks the password and issues a token; 401 without saying which of the two was wrong. */
    public Mono<Login> login(String username, String password) {
        return verify(username, password).flatMap(this::issueToken);
    }

    /**
     * The registered user whose password this is; 401 {@code wrong username or password} otherwise,
     * as slow for an unknown user as for a wrong password.
     */
    public Mono<ChatUser> verify(String username, String password) {
        if (username == null || password == null || !Names.isValidUser(username) || password.length() > PASSWORD_MAX) {
            return Mono.error(WRONG_CREDENTIALS);
        }
        ChatUser user = users.find(username).filter(found -> !found.guest()).orElse(null);
        Mono<String> storedHash = user != null ? users.passwordHash(user) : Mono.empty();
        return storedHash
                .defaultIfEmpty("")
                .flatMap(hash -> hasher.matches(password, hash.isEmpty() ? null : hash))
                .flatMap(matches -> matches ? Mono.just(user) : Mono.error(WRONG_CREDENTIALS));
    }

    /**
     * Like {@link #verify}, where a login token of that user counts as its password too: a console
     * user known only through single sign-on, or one who would rather not type its password. What the
     * token opens is its own (logging it out or its expiry ends it); a password's is the user's.
     */
    public Mono<UserAuthentication> verifyPasswordOrToken(String username, String secret) {
        if (secret != null && isParleyToken(secret)) {
            return authenticate(secret)
                    .filter(proof -> proof.user().key().equals(Names.key(username)))
                    .switchIfEmpty(Mono.error(WRONG_CREDENTIALS));
        }
        return verify(username, secret).map(user -> new UserAuthentication(user, null, null));
    }

    private Mono<Login> issueToken(ChatUser user) {
        String token = AccessTokens.newToken();
        Instant expiresAt = clock.instant().plus(tokenTtl);
        return tokens.save(AccessTokens.hash(token), user.key(), expiresAt)
                .thenReturn(new Login(user, token, tokenTtl));
    }

    /** Who a token proves, with its id and expiry; empty for a token that is malformed, unknown, revoked or expired. */
    public Mono<UserAuthentication> authenticate(String token) {
        if (!AccessTokens.isWellFormed(token)) {
            return Mono.empty();
        }
        String tokenId = AccessTokens.hash(token);
        return tokens.find(tokenId)
                .filter(stored -> stored.expiresAt().isAfter(clock.instant()))
                .flatMap(stored -> Mono.justOrEmpty(users.find(stored.userKey()))
                        .filter(user -> !user.guest())
                        .map(user -> new UserAuthentication(user, tokenId, stored.expiresAt())));
    }

    /**
     * Ends a token, and then what it opened ({@link LoggedOut}). Ending one that is unknown or ended
     * already is no error.
     */
    public Mono<Void> logout(String token) {
        if (!AccessTokens.isWellFormed(token)) {
            return Mono.empty();
        }
        String tokenId = AccessTokens.hash(token);
        // looked up first: logout needs no valid credential, so made-up tokens must cost a bounded read,
        // not a write in the store writer's (unbounded) line
        return tokens.find(tokenId)
                .flatMap(known -> tokens.revoke(tokenId)
                        .then(Mono.fromRunnable(() -> events.publishEvent(new LoggedOut(tokenId)))))
                .then();
    }

    /** Whether a credential is meant as a Parley token (rather than, say, a JWT). */
    public static boolean isParleyToken(String credential) {
        return AccessTokens.isParleyToken(credential);
    }

    /** The hash that identifies a token without revealing it, e.g. to find the connections it opened. */
    public static String tokenId(String token) {
        return AccessTokens.hash(token);
    }
}
