package dev.parley.account;

import dev.parley.config.ParleyProperties;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import java.time.Duration;

/**
 * The browser's session cookie: the login token, {@code HttpOnly} (no script reads it),
 * {@code SameSite=Strict} (no other site's page sends it), {@code Secure} over TLS.
 */
@Component
public class SessionCookie {
    private final ParleyProperties.Auth config;

    SessionCookie(ParleyProperties properties) {
        this.config = properties.auth();
    }

    public String name() {
        return config.cookieName();
    }

    void set(ServerWebExchange exchange, String token, Duration ttl) {
        exchange.getResponse().addCookie(cookie(exchange, token, ttl));
    }

    /** Tells the browser to forget the cookie. */
    public void clear(ServerWebExchange exchange) {
        exchange.getResponse().addCookie(cookie(exchange, "", Duration.ZERO));
    }

    private ResponseCookie cookie(ServerWebExchange exchange, String value, Duration maxAge) {
        return ResponseCookie.from(config.cookieName(), value)
                .httpOnly(true)
                .sameSite("Strict")
                .path("/")
                .maxAge(maxAge)
                .secure(secure(exchange))
                .build();
    }

    private boolean secure(ServerWebExchange exchange) {
        return switch (config.secureCookie()) {
            case ALWAYS -> true;
            case NEVER -> false;
            // with server.forward-headers-strategy set, a TLS-terminating proxy's X-Forwarded-Proto counts here
            case AUTO -> exchange.getRequest().getSslInfo() != null
                    || "https".equalsIgnoreCase(exchange.getRequest().getURI().getScheme());
        };
    }
}
