package dev.parley.web;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The WebSocket endpoint's path, and the one way to recognize a request for it. Matched as the
 * handler mapping matches (decoded), so {@code /%77s} is {@code /ws} here too: a check that looked
 * at the raw path could be walked around.
 */
public final class WebSocketPath {
    public static final String PATH = "/ws";
    private static final PathPattern PATTERN = PathPatternParser.defaultInstance.parse(PATH);

    private WebSocketPath() {
    }

    public static boolean matches(ServerHttpRequest request) {
        return PATTERN.matches(request.getPath().pathWithinApplication());
    }
}
