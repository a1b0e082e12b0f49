package dev.parley.security;

import dev.parley.config.ParleyProperties;
import dev.parley.identity.ChatUser;
import dev.parley.identity.UserAuthentication;
import dev.parley.identity.UserDirectory;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.Names;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Users of an OIDC issuer (enterprise single sign-on): a bearer JWT whose signature checks out
 * against the issuer's keys, that has not expired, and (when configured) names Parley as its
 * audience. Its username claim names the Parley user, who is remembered like a registered user
 * (it may own private rooms, be invited, have unread messages) but has no password here.
 */
final class JwtUsers {
    private static final Logger log = LoggerFactory.getLogger(JwtUsers.class);
    private final NimbusReactiveJwtDecoder decoder;
    private final String usernameClaim;
    private final UserDirectory users;

    JwtUsers(ParleyProperties.Jwt config, UserDirectory users) {
        this.users = users;
        this.usernameClaim = config.usernameClaim();
        IssuerKeys keys = new IssuerKeys(config.issuerUri(), config.jwkSetUri(), config.keyRefreshInterval(),
                config.fetchTimeout(), System::nanoTime);
        this.decoder = NimbusReactiveJwtDecoder.withJwkSource(keys::keysFor).build();
        List<OAuth2TokenValidator<Jwt>> checks = new ArrayList<>();
        checks.add(config.issuerUri().isBlank() ? JwtValidators.createDefault()
                : JwtValidators.createDefaultWithIssuer(config.issuerUri()));
        if (!config.audience().isBlank()) {
            checks.add(new JwtClaimValidator<Collection<String>>("aud",
                    audience -> audience != null && audience.contains(config.audience())));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(checks));
    }

    Mono<UserAuthentication> authenticate(String token) {
        return decoder.decode(token)
                .onErrorMap(e -> !(e instanceof BadCredentialsException), e -> {
                    // the details (the issuer's addresses, its errors) are for the log, not the client
                    if (e instanceof JwtException) {
                        log.debug("JWT refused: {}", e.getMessage());
                        return new BadCredentialsException("invalid JWT");
                    }
                    log.warn("JWT not checked: the issuer's keys could not be had", e);
                    // not the token's fault: the client should try again, not throw the token away
                    return new BadCredentialsException(
                            "the JWT could not be checked: the issuer's keys are unavailable; try again later");
                })
                .flatMap(jwt -> {
                    String name = jwt.getClaimAsString(usernameClaim);
                    if (name == null || !Names.isValidUser(name)) {
                        return Mono.error(new BadCredentialsException(
                                "the JWT's " + usernameClaim + " is not a valid Parley username"));
                    }
                    if (users.isLocalAccount(name)) {
                        // an account of this server is its owner's, whatever an identity provider says
                        return Mono.error(new BadCredentialsException(
                                "'" + name + "' is an account of this server: sign in with its password"));
                    }
                    ChatUser user = users.find(name).orElse(new ChatUser(name, false));
                    if (user.guest()) {
                        return Mono.error(new BadCredentialsException("'" + name + "' is in use by a guest right now"));
                    }
                    return users.remember(user)
                            .onErrorMap(ChatException.class, e -> new BadCredentialsException(e.getMessage()))
                            .thenReturn(new UserAuthentication(user, null, jwt.getExpiresAt()));
                });
    }
}
