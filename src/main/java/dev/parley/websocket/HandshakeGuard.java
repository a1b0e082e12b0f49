package dev.parley.websocket;

import dev.parley.config.ParleyProperties;
import dev.parley.limits.ConnectionCaps;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.web.ErrorResponses;
import dev.parley.web.WebSocketPath;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.ArrayList;

/**
 * The first checks of a {@code /ws} handshake, before any credential is looked at: a browser page
 * from another origin is refused (403), so no other site can open a connection with the user's
 * cookie; and only so many handshakes are worked on at once (429 beyond).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class HandshakeGuard implements WebFilter {
    private final CorsConfiguration allowedOrigins = new CorsConfiguration();
    private final ConnectionCaps caps;

    HandshakeGuard(ParleyProperties properties, ConnectionCaps caps) {
        this.caps = caps;
        // patterns as Spring's CORS understands them: https://chat.example.com, https://*.example.com
        allowedOrigins.setAllowedOriginPatterns(new ArrayList<>(properties.allowedOrigins()));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!WebSocketPath.matches(exchange.getRequest())) {
            return chain.filter(exchange);
        }
        String origin = exchange.getRequest().getHeaders().getFirst(HttpHeaders.ORIGIN);
        if (origin != null && !isOwnOrigin(origin, exchange.getRequest().getURI())
                && allowedOrigins.checkOrigin(origin) == null) {
            return ErrorResponses.write(exchange.getResponse(), new ChatException(ErrorCode.FORBIDDEN,
                    "origin " + origin + " may not open /ws; add it to parley.allowed-origins"));
        }
        ConnectionCaps.Admission handshake;
        try {
            handshake = caps.handshake();
        } catch (ChatException busy) {
            return ErrorResponses.write(exchange.getResponse(), busy);
        }
        // the chain completes once the handshake is answered: upgraded, or refused
        return chain.filter(exchange).doFinally(signal -> handshake.close());
    }

    /** The page's origin is the server's own: same scheme, host and port as the request. */
    static boolean isOwnOrigin(String origin, URI request) {
        UriComponents page;
        try {
            page = UriComponentsBuilder.fromUriString(origin).build();
        } catch (IllegalArgumentException malformed) {
            return false;
        }
        String scheme = request.getScheme() == null ? "http" : request.getScheme();
        // the page of a ws:// request is http://, of wss:// https://
        String pageScheme = scheme.startsWith("ws") ? scheme.replaceFirst("ws", "http") : scheme;
        return pageScheme.equalsIgnoreCase(page.getScheme())
                && request.getHost() != null && request.getHost().equalsIgnoreCase(page.getHost())
                && port(pageScheme, request.getPort()) == port(page.getScheme(), page.getPort());
    }

    private static int port(String scheme, int port) {
        if (port != -1) {
            return port;
        }
        return "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }
}
