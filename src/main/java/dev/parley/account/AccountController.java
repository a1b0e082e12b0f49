package dev.parley.account;

import dev.parley.identity.Guests;
import dev.parley.identity.IdentityResolver;
import dev.parley.limits.AbuseLimits;
import dev.parley.web.ClientAddress;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** {@code /api/auth}: register, log in (a token and the session cookie), log out, and who am I. */
@RestController
@RequestMapping("/api/auth")
class AccountController {
    private final AccountService accounts;
    private final SessionCookie cookie;
    private final IdentityResolver identities;
    private final AbuseLimits limits;
    private final Guests guests;

    AccountController(AccountService accounts, SessionCookie cookie, IdentityResolver identities, AbuseLimits limits,
                      Guests guests) {
        this.accounts = accounts;
        this.cookie = cookie;
        this.identities = identities;
        this.limits = limits;
        this.guests = guests;
    }

    record Credentials(String username, String password) {
        /** Never print the password. */
        @Override
        public String toString() {
            return "Credentials[" + username + "]";
        }
    }

    record LoggedIn(String username, String token) {
    }

    record Me(String username, boolean guest) {
    }

    // JSON only: a cross-site form cannot send it, which is what makes these safe without a CSRF token
    @PostMapping(path = "/register", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Me>> register(@RequestBody Credentials credentials, ServerWebExchange exchange) {
        return limits.authAttempt(address(exchange))
                .then(Mono.defer(() -> accounts.register(credentials.username(), credentials.password())))
                .map(user -> ResponseEntity.status(HttpStatus.CREATED).body(new Me(user.name(), false)));
    }

    @PostMapping(path = "/login", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<LoggedIn> login(@RequestBody Credentials credentials, ServerWebExchange exchange) {
        return limits.authAttempt(address(exchange))
                .then(Mono.defer(() -> accounts.login(credentials.username(), credentials.password())))
                .doOnNext(login -> limits.signedIn(address(exchange)))
                .map(login -> {
                    cookie.set(exchange, login.token(), login.ttl());
                    return new LoggedIn(login.user().name(), login.token());
                });
    }

    /** Ends the token the request carries, header or cookie, and clears the cookie. Always 204. */
    @PostMapping("/logout")
    Mono<ResponseEntity<Void>> logout(ServerWebExchange exchange) {
        return Mono.justOrEmpty(Credential.of(exchange.getRequest(), cookie.name(), false))
                .flatMap(credential -> accounts.logout(credential.value()))
                .then(Mono.fromRunnable(() -> cookie.clear(exchange)))
                .thenReturn(ResponseEntity.noContent().build());
    }

    /**
     * Whether a guest could connect with this nickname now: 204, or the handshake's refusal as JSON
     * (400 invalid, 409 taken, 401 guests off). A browser cannot read why a WebSocket handshake was
     * refused, so the page asks here first; the handshake still decides.
     */
    @GetMapping("/guest")
    Mono<ResponseEntity<Void>> guest(@RequestParam(required = false) String nickname) {
        return Mono.fromRunnable(() -> guests.admit(nickname)).thenReturn(ResponseEntity.noContent().build());
    }

    @GetMapping("/me")
    Mono<Me> me(ServerWebExchange exchange) {
        return identities.caller(exchange).map(user -> new Me(user.name(), user.guest()));
    }

    private static String address(ServerWebExchange exchange) {
        return ClientAddress.of(exchange.getRequest());
    }
}
