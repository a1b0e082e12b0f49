package dev.parley.identity;

import org.springframework.security.authentication.AbstractAuthenticationToken;

import java.util.List;

/**
 * A request's proven identity, as Spring Security carries it: a registered user, and the id of the
 * token that proved it (the token's hash; null for a JWT), so that logging out can find what that
 * token opened.
 */
public final class UserAuthentication extends AbstractAuthenticationToken {
    private final ChatUser user;
    private final String tokenId;

    public UserAuthentication(ChatUser user, String tokenId) {
        super(List.of());
        this.user = user;
        this.tokenId = tokenId;
        setAuthenticated(true);
    }

    public ChatUser user() {
        return user;
    }

    public String tokenId() {
        return tokenId;
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
