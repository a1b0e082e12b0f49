package dev.parley.security;

import dev.parley.account.Credential;
import org.springframework.security.authentication.AbstractAuthenticationToken;

import java.util.List;

/** A credential found on a request and not checked yet. */
final class CredentialToken extends AbstractAuthenticationToken {
    private final Credential credential;

    CredentialToken(Credential credential) {
        super(List.of());
        this.credential = credential;
    }

    Credential credential() {
        return credential;
    }

    @Override
    public Object getCredentials() {
        return credential.value();
    }

    @Override
    public Object getPrincipal() {
        return "";
    }
}
