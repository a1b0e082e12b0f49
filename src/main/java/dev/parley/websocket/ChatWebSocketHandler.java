package dev.parley.websocket;

import dev.parley.chat.ChatService;
import dev.parley.config.ParleyProperties;
import dev.parley.limits.AbuseLimits;
import dev.parley.protocol.FrameCodec;
import dev.parley.session.TokenConnections;
import dev.parley.stats.ParleyMetrics;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;

/** The {@code /ws} endpoint: one {@link WebSocketConnection} per socket, everything else in the chat service. */
@Component
class ChatWebSocketHandler implements WebSocketHandler {
    private final ChatService chat;
    private final FrameCodec codec;
    private final ParleyMetrics metrics;
    private final ParleyProperties properties;
    private final AbuseLimits limits;
    private final TokenConnections tokens;

    ChatWebSocketHandler(ChatService chat, FrameCodec codec, ParleyMetrics metrics, ParleyProperties properties,
                         AbuseLimits limits, TokenConnections tokens) {
        this.limits = limits;
        this.tokens = tokens;
        this.chat = chat;
        this.codec = codec;
        this.metrics = metrics;
        this.properties = properties;
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        if (!(session instanceof LeanWebSocketSession lean)) {
            // unreachable through WebSocketConfiguration's upgrade strategy
            return session.close(CloseStatus.SERVER_ERROR);
        }
        return session.getHandshakeInfo().getPrincipal()
                .ofType(HandshakePrincipal.class)
                // unreachable through HandshakeFilter; refuse rather than guess an identity
                .switchIfEmpty(Mono.defer(() -> session.close(CloseStatus.POLICY_VIOLATION).then(Mono.empty())))
                .flatMap(principal -> run(new WebSocketConnection(lean, principal, chat, codec, metrics, properties,
                        limits.newAllowance()), principal.tokenId()));
    }

    private Mono<Void> run(WebSocketConnection connection, String tokenId) {
        if (tokenId == null) {
            return connection.run();
        }
        Mono<Void> running = connection.run().doFinally(signal -> tokens.closed(tokenId, connection));
        // a token logged out meanwhile: the connection is closed there, and ends after its close frame
        tokens.opened(tokenId, connection);
        return running;
    }
}
