package dev.parley.account;

import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

import java.util.Optional;

/**
 * What a request presents to prove who it is, and where it came from. Looked for in this order:
 * the {@code Authorization: Bearer} header, the {@code access_token} query parameter (WebSocket
 * handshakes only: browsers cannot set headers there), the session cookie.
 *
 * @param value a Parley token or a JWT
 * @param fromCookie whether it is the session cookie (a stale cookie counts as none; a stale header is refused)
 */
public record Credential(String value, boolean fromCookie) {
    private static final String BEARER = "Bearer ";

    public static Optional<Credential> of(ServerHttpRequest request, String cookieName, boolean webSocket) {
        String header = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.of(new Credential(header.substring(BEARER.length()).trim(), false));
        }
        if (webSocket) {
            String query = request.getQueryParams().getFirst("access_token");
            if (query != null) {
                return Optional.of(new Credential(query, false));
            }
        }
        HttpCookie cookie = request.getCookies().getFirst(cookieName);
        if (cookie != null && !cookie.getValue().isEmpty()) {
            return Optional.of(new Credential(cookie.getValue(), true));
        }
        return Optional.empty();
    }

    /** Never print the secret itself. */
    @Override
    public String toString() {
        return "Credential[" + (fromCookie ? "cookie" : "bearer") + "]";
    }
}
