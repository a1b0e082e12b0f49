package dev.parley.security;

import dev.parley.account.AccountService;
import dev.parley.config.ParleyProperties;
import dev.parley.identity.UserAuthentication;
import dev.parley.identity.UserDirectory;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Checks a request's credential: a Parley token ({@code prl_...}) against the token store, anything
 * else as a JWT when single sign-on is configured. A credential that does not check out is an
 * error (401), never a silent anonymous request.
 */
@Component
class CredentialAuthenticationManager implements ReactiveAuthenticationManager {
    private final AccountService accounts;
    private final JwtUsers jwtUsers;

    CredentialAuthenticationManager(AccountService accounts, UserDirectory users, ParleyProperties properties) {
        this.accounts = accounts;
        this.jwtUsers = properties.auth().jwt().enabled() ? new JwtUsers(properties.auth().jwt(), users) : null;
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        String credential = ((CredentialToken) authentication).credential().value();
        if (AccountService.isParleyToken(credential)) {
            return accounts.authenticate(credential)
                    .<Authentication>map(user -> new UserAuthentication(user, AccountService.tokenId(credential)))
                    .switchIfEmpty(Mono.error(() -> new BadCredentialsException("the token is invalid, expired or logged out")));
        }
        if (jwtUsers != null) {
            return jwtUsers.authenticate(credential).cast(Authentication.class);
        }
        return Mono.error(new BadCredentialsException("not a Parley token"));
    }
}
