package dev.parley.security;

import dev.parley.account.Credential;
import dev.parley.account.SessionCookie;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.web.ErrorResponses;
import dev.parley.web.WebSocketPath;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Spring Security's refusals as the contract's JSON errors. No {@code WWW-Authenticate: Basic}
 * ever: a browser would pop up a password dialog, and a headless one would hang on it.
 */
final class SecurityErrors {

    private SecurityErrors() {
    }

    /** 401 with the reason: no credential, or one that did not check out. */
    static ServerAuthenticationEntryPoint unauthorized() {
        return (exchange, e) -> ErrorResponses.write(exchange.getResponse(), new ChatException(ErrorCode.UNAUTHORIZED,
                e instanceof BadCredentialsException ? e.getMessage() : "log in first"));
    }

    /** 403 with the reason: a cookie-authenticated change without its CSRF token, or anything else refused. */
    static ServerAccessDeniedHandler forbidden(String message) {
        return (exchange, e) -> ErrorResponses.write(exchange.getResponse(),
                new ChatException(ErrorCode.FORBIDDEN, message));
    }

    /**
     * A credential that did not check out: 401, except a stale session cookie (expired, or ended by
     * a logout elsewhere), which counts as no cookie. The browser is told to forget it, and the
     * request goes on unauthenticated: a guest may still connect, a login may still happen.
     */
    static ServerAuthenticationFailureHandler failure(SessionCookie cookie) {
        ServerAuthenticationEntryPoint unauthorized = unauthorized();
        return new ServerAuthenticationFailureHandler() {
            @Override
            public Mono<Void> onAuthenticationFailure(WebFilterExchange filterExchange, AuthenticationException e) {
                ServerWebExchange exchange = filterExchange.getExchange();
                boolean staleCookie = Credential.of(exchange.getRequest(), cookie.name(), isWebSocket(exchange))
                        .map(Credential::fromCookie).orElse(false);
                if (staleCookie) {
                    cookie.clear(exchange);
                    return filterExchange.getChain().filter(exchange);
                }
                return unauthorized.commence(exchange, e);
            }
        };
    }

    static boolean isWebSocket(ServerWebExchange exchange) {
        return WebSocketPath.matches(exchange.getRequest());
    }
}
