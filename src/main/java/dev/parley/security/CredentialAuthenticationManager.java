package dev.parley.security;

import dev.parley.account.AccountService;
import dev.parley.config.ParleyProperties;
import dev.parley.identity.UserDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    private static final Logger log = LoggerFactory.getLogger(CredentialAuthenticationManager.class);
    private final AccountService accounts;
    private final JwtUsers jwtUsers;

    CredentialAuthenticationManager(AccountService accounts, UserDirectory users, ParleyProperties properties) {
        this.accounts = accounts;
        this.jwtUsers = properties.auth().jwt().enabled() ? new JwtUsers(properties.auth().jwt(), users) : null;
        if (jwtUsers != null) {
            warnAboutWeakSingleSignOn(properties.auth());
        }
    }

    /** Settings that work but that a security review would flag: said once, at startup. */
    private static void warnAboutWeakSingleSignOn(ParleyProperties.Auth auth) {
        if (auth.jwt().audience().isBlank()) {
            log.warn("parley.auth.jwt.audience is not set: a token the issuer made for any other application is accepted");
        }
        if (auth.jwt().issuerUri().isBlank()) {
            log.warn("parley.auth.jwt.issuer-uri is not set: a token's issuer (iss) is not checked");
        }
        if (auth.registration()) {
            log.warn("parley.auth.registration is on beside single sign-on: anybody may register a name before "
                    + "its owner first signs on (and that owner is then refused); set it to false");
        }
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        String credential = ((CredentialToken) authentication).credential().value();
        if (AccountService.isParleyToken(credential)) {
            return accounts.authenticate(credential)
                    .cast(Authentication.class)
                    .switchIfEmpty(Mono.error(() -> new BadCredentialsException("the token is invalid, expired or logged out")));
        }
        if (jwtUsers != null) {
            return jwtUsers.authenticate(credential).cast(Authentication.class);
        }
        return Mono.error(new BadCredentialsException("not a Parley token"));
    }
}
