package dev.parley.security;

import dev.parley.config.ParleyProperties;
import dev.parley.identity.ChatUser;
import dev.parley.identity.UserAuthentication;
import dev.parley.identity.UserDirectory;
import dev.parley.protocol.Names;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
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
    private final NimbusReactiveJwtDecoder decoder;
    private final String usernameClaim;
    private final UserDirectory users;

    JwtUsers(ParleyProperties.Jwt config, UserDirectory users) {
        this.users = users;
        this.usernameClaim = config.usernameClaim();
        NimbusReactiveJwtDecoder.JwkSetUriReactiveJwtDecoderBuilder builder = config.jwkSetUri().isBlank()
                // the keys are found through the issuer's discovery document, on first use
                ? NimbusReactiveJwtDecoder.withIssuerLocation(config.issuerUri())
                : NimbusReactiveJwtDecoder.withJwkSetUri(config.jwkSetUri());
        this.decoder = builder.jwsAlgorithms(algorithms -> {
            algorithms.add(SignatureAlgorithm.RS256);
            algorithms.add(SignatureAlgorithm.ES256);
        }).build();
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
                .onErrorMap(JwtException.class, e -> new BadCredentialsException("invalid JWT: " + e.getMessage()))
                .flatMap(jwt -> {
                    String name = jwt.getClaimAsString(usernameClaim);
                    if (name == null || !Names.isValidUser(name)) {
                        return Mono.error(new BadCredentialsException(
                                "the JWT's " + usernameClaim + " is not a valid Parley username"));
                    }
                    ChatUser user = users.find(name).filter(found -> !found.guest()).orElse(new ChatUser(name, false));
                    return users.remember(user).thenReturn(new UserAuthentication(user, null));
                });
    }
}
