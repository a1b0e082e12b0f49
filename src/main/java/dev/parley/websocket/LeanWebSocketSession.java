package dev.parley.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A Spring {@link WebSocketSession} over Reactor Netty's WebSocket that holds only what it needs:
 * the inbound and outbound, the handshake info and the buffer factory. Spring's own session also
 * keeps an attribute map, an id and a log prefix per connection, and adds a logging and a mapping
 * operator to each direction. Parley's connection reads and writes Netty frames through
 * {@link #frames()} and {@link #sendFrames}, without a {@link WebSocketMessage} per frame; the
 * {@code WebSocketSession} methods work as Spring's do for any other handler.
 */
final class LeanWebSocketSession implements WebSocketSession {
    private final WebsocketInbound inbound;
    private final WebsocketOutbound outbound;
    private final HandshakeInfo handshake;
    private final NettyDataBufferFactory buffers;
    private final int frameMax;
    private volatile Map<String, Object> attributes;

    LeanWebSocketSession(WebsocketInbound inbound, WebsocketOutbound outbound, HandshakeInfo handshake,
                         NettyDataBufferFactory buffers, int frameMax) {
        this.inbound = inbound;
        this.outbound = outbound;
        this.handshake = handshake;
        this.buffers = buffers;
        this.frameMax = frameMax;
    }

    /** Whole frames as they arrive: fragments are joined up to the frame limit. */
    Flux<WebSocketFrame> frames() {
        return inbound.aggregateFrames(frameMax).receiveFrames();
    }

    /**
     * Writes the frames until the publisher completes: Netty {@code WebSocketFrame}s, which Netty encodes, or
     * a whole frame's bytes as a {@code ByteBuf} ({@link TextFrames}), which go to the socket as they are.
     */
    Mono<Void> sendFrames(Publisher<?> frames) {
        return outbound.sendObject(frames).then();
    }

    /** The socket's buffer allocator, for frames written whole. */
    ByteBufAllocator allocator() {
        return outbound.alloc();
    }

    @Override
    public String getId() {
        return Integer.toHexString(System.identityHashCode(this));
    }

    @Override
    public HandshakeInfo getHandshakeInfo() {
        return handshake;
    }

    @Override
    public DataBufferFactory bufferFactory() {
        return buffers;
    }

    /** Created on first use: Parley's handler keeps nothing here. */
    @Override
    public Map<String, Object> getAttributes() {
        Map<String, Object> map = attributes;
        if (map == null) {
            synchronized (this) {
                map = attributes;
                if (map == null) {
                    map = new ConcurrentHashMap<>();
                    attributes = map;
                }
            }
        }
        return map;
    }

    @Override
    public Flux<WebSocketMessage> receive() {
        return frames().map(this::toMessage);
    }

    @Override
    public Mono<Void> send(Publisher<WebSocketMessage> messages) {
        return sendFrames(Flux.from(messages).map(LeanWebSocketSession::toFrame));
    }

    @Override
    public boolean isOpen() {
        boolean[] open = {false};
        inbound.withConnection(connection -> open[0] = !connection.isDisposed());
        return open[0];
    }

    @Override
    public Mono<Void> close(CloseStatus status) {
        return outbound.sendClose(status.getCode(), status.getReason());
    }

    @Override
    public Mono<CloseStatus> closeStatus() {
        return inbound.receiveCloseStatus().map(status -> CloseStatus.create(status.code(), status.reasonText()));
    }

    @Override
    public WebSocketMessage textMessage(String payload) {
        return new WebSocketMessage(WebSocketMessage.Type.TEXT, buffers.wrap(payload.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public WebSocketMessage binaryMessage(Function<DataBufferFactory, DataBuffer> payloadFactory) {
        return new WebSocketMessage(WebSocketMessage.Type.BINARY, payloadFactory.apply(buffers));
    }

    @Override
    public WebSocketMessage pingMessage(Function<DataBufferFactory, DataBuffer> payloadFactory) {
        return new WebSocketMessage(WebSocketMessage.Type.PING, payloadFactory.apply(buffers));
    }

    @Override
    public WebSocketMessage pongMessage(Function<DataBufferFactory, DataBuffer> payloadFactory) {
        return new WebSocketMessage(WebSocketMessage.Type.PONG, payloadFactory.apply(buffers));
    }

    private WebSocketMessage toMessage(WebSocketFrame frame) {
        return new WebSocketMessage(typeOf(frame), buffers.wrap(frame.content()), frame);
    }

    private static WebSocketMessage.Type typeOf(WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame) {
            return WebSocketMessage.Type.TEXT;
        }
        if (frame instanceof PingWebSocketFrame) {
            return WebSocketMessage.Type.PING;
        }
        if (frame instanceof PongWebSocketFrame) {
            return WebSocketMessage.Type.PONG;
        }
        return WebSocketMessage.Type.BINARY;
    }

    private static WebSocketFrame toFrame(WebSocketMessage message) {
        if (message.getNativeMessage() instanceof WebSocketFrame frame) {
            return frame;
        }
        ByteBuf bytes = NettyDataBufferFactory.toByteBuf(message.getPayload());
        return switch (message.getType()) {
            case TEXT -> new TextWebSocketFrame(bytes);
            case BINARY -> new BinaryWebSocketFrame(bytes);
            case PING -> new PingWebSocketFrame(bytes);
            case PONG -> new PongWebSocketFrame(bytes);
        };
    }
}
