package dev.parley.security;

import dev.parley.account.Credential;
import dev.parley.account.SessionCookie;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.web.ErrorResponses;
import dev.parley.web.WebSocketPath;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.csrf.CookieServerCsrfTokenRepository;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.AndServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.NegatedServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.OrServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

import java.util.Set;

/**
 * The security filter chain. Stateless: every request proves itself (a token, the session cookie,
 * or a JWT), nothing is kept in a server-side session. Who may do what is decided by the chat
 * services; the chain only refuses what needs credentials and has none.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {
    /**
     * Same-origin everything, no inline script or style, no framing. 'self' in connect-src covers
     * the page's own ws:// and wss:// (CSP Level 3).
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
            + "form-action 'self'; frame-ancestors 'none'";
    /**
     * Logging in and registering need no identity, so a stale cookie must not stand in their way; nor
     * do they need CSRF protection: they take only JSON, which no other site's form can send.
     */
    private static final ServerWebExchangeMatcher SIGN_IN =
            ServerWebExchangeMatchers.pathMatchers("/api/auth/login", "/api/auth/register");
    /** Logging out ends whatever credential comes with it, good or stale: it needs no identity either. */
    private static final ServerWebExchangeMatcher NO_IDENTITY_NEEDED = new OrServerWebExchangeMatcher(SIGN_IN,
            ServerWebExchangeMatchers.pathMatchers("/api/auth/logout"));
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.TRACE);

    @Bean
    SecurityWebFilterChain parleySecurity(ServerHttpSecurity http, CredentialAuthenticationManager credentials,
                                          SessionCookie cookie) {
        AuthenticationWebFilter authentication = new AuthenticationWebFilter(credentials);
        authentication.setServerAuthenticationConverter(exchange -> Mono.justOrEmpty(
                Credential.of(exchange.getRequest(), cookie.name(), SecurityErrors.isWebSocket(exchange))
                        .map(CredentialToken::new)));
        authentication.setRequiresAuthenticationMatcher(new AndServerWebExchangeMatcher(
                ServerWebExchangeMatchers.pathMatchers("/api/**", WebSocketPath.PATH),
                new NegatedServerWebExchangeMatcher(NO_IDENTITY_NEEDED)));
        authentication.setAuthenticationFailureHandler(SecurityErrors.failure(cookie));
        authentication.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());

        CookieServerCsrfTokenRepository csrfTokens = CookieServerCsrfTokenRepository.withHttpOnlyFalse();
        csrfTokens.setCookieCustomizer(c -> c.sameSite("Strict"));

        return http
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .addFilterAt(authentication, SecurityWebFiltersOrder.AUTHENTICATION)
                .csrf(csrf -> csrf
                        .csrfTokenRepository(csrfTokens)
                        // the single-page app reads the cookie and sends its value as X-XSRF-TOKEN, unmasked
                        .csrfTokenRequestHandler(new HeaderOnlyCsrfTokens())
                        .requireCsrfProtectionMatcher(cookieAuthenticatedChange(cookie.name()))
                        .accessDeniedHandler(SecurityErrors.forbidden(
                                "missing or wrong CSRF token: send the XSRF-TOKEN cookie's value as X-XSRF-TOKEN")))
                .addFilterAfter(issueCsrfCookie(), SecurityWebFiltersOrder.CSRF)
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
                        .frameOptions(frames -> frames.mode(XFrameOptionsServerHttpHeadersWriter.Mode.DENY)))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(SecurityErrors.unauthorized())
                        .accessDeniedHandler(SecurityErrors.forbidden("not allowed")))
                .authorizeExchange(paths -> paths
                        .pathMatchers("/api/rooms/**", "/api/rooms").authenticated()
                        .anyExchange().permitAll())
                .build();
    }

    /**
     * A request Spring Security's firewall refuses (an encoded slash, a NUL or a control character in
     * the path, a parameter name no browser would send): the contract's 400, not a bare status.
     */
    @Bean
    ServerExchangeRejectedHandler rejectedAsBadRequest() {
        return (exchange, rejected) -> ErrorResponses.write(exchange.getResponse(),
                new ChatException(ErrorCode.BAD_REQUEST, "the request was rejected: " + rejected.getMessage()));
    }

    /**
     * CSRF protection where the cookie is what authenticates: a change (not GET, HEAD, OPTIONS, TRACE)
     * whose credential is the session cookie, other than signing in. A bearer token is never sent by
     * a browser on its own, so calls made with one need no CSRF token; but any other Authorization
     * header (a browser's cached Basic credentials, say) leaves the cookie as the credential.
     */
    private static ServerWebExchangeMatcher cookieAuthenticatedChange(String cookieName) {
        return new AndServerWebExchangeMatcher(new NegatedServerWebExchangeMatcher(SIGN_IN), exchange -> {
            ServerHttpRequest request = exchange.getRequest();
            boolean change = !SAFE.contains(request.getMethod());
            boolean byCookie = Credential.of(request, cookieName, false).map(Credential::fromCookie).orElse(false);
            return change && byCookie ? ServerWebExchangeMatcher.MatchResult.match()
                    : ServerWebExchangeMatcher.MatchResult.notMatch();
        });
    }

    /**
     * The CSRF token is read from the {@code X-XSRF-TOKEN} header only, never from a form field: a
     * same-site page that can set the XSRF-TOKEN cookie (a sibling subdomain) could post a form with
     * the same value, but it cannot make the browser add a header to a cross-origin request.
     */
    private static final class HeaderOnlyCsrfTokens extends ServerCsrfTokenRequestAttributeHandler {
        @Override
        public Mono<String> resolveCsrfTokenValue(ServerWebExchange exchange, CsrfToken csrfToken) {
            return Mono.justOrEmpty(exchange.getRequest().getHeaders().getFirst(csrfToken.getHeaderName()));
        }
    }

    /** Makes sure a browser's API response carries the XSRF-TOKEN cookie (generated lazily otherwise). */
    private static WebFilter issueCsrfCookie() {
        return (exchange, chain) -> {
            // a client with a bearer token (a bot, a script) needs none: no token is made for it on every call
            if (!exchange.getRequest().getPath().pathWithinApplication().value().startsWith("/api/")
                    || exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)) {
                return chain.filter(exchange);
            }
            Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
            return (token != null ? token.then() : Mono.<Void>empty()).then(chain.filter(exchange));
        };
    }
}
