package dev.parley.identity;

import org.springframework.security.authentication.AbstractAuthenticationToken;

import java.time.Instant;
import java.util.List;

/**
 * A request's proven identity, as Spring Security carries it: a registered user, the id of the
 * token that proved it (the token's hash; null for a JWT or a password), so that logging out can find
 * what that token opened, and when the proof expires (null: never), so that what it opened ends then.
 */
public final class UserAuthentication extends AbstractAuthenticationToken {
    private final ChatUser user;
    private final String tokenId;
    private final Instant expiresAt;

    public UserAuthentication(ChatUser user, String tokenId, Instant expiresAt) {
        super(List.of());
        this.user = user;
        this.tokenId = tokenId;
        this.expiresAt = expiresAt;
        setAuthenticated(true);
    }

    public ChatUser user() {
        return user;
    }

    public String tokenId() {
        return tokenId;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    @Override
    public Object getPrincipal() {
        return user;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public String getName() {
        return user.name();
    }
}
