package dev.parley.support;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.util.concurrent.Queues;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A real WebSocket client for full-stack tests (Reactor Netty, real socket). Received
 * text frames are parsed and queued; every receive has a bounded timeout. Frames are
 * requested one at a time, so pausing stops reading the socket (after Reactor Netty's
 * small receive queue fills) and the server's writes back up in TCP.
 */
public final class ChatClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger CALLS = new AtomicInteger();

    static {
        // Jackson builds its deserializers under a lock on first use: not on the client's event loops
        JSON.readTree("{\"a\":[1]}");
    }

    // lock-free offer: the client's event loop must not park on a lock the test thread holds
    private final BlockingQueue<JsonNode> inbox = new LinkedTransferQueue<>();
    private final Sinks.Many<WebSocketFrame> outbound =
            Sinks.unsafe().many().unicast().onBackpressureBuffer(Queues.<WebSocketFrame>unboundedMultiproducer().get());
    private final CompletableFuture<WebSocketCloseStatus> closeStatus = new CompletableFuture<>();
    private final CompletableFuture<Connection> connection = new CompletableFuture<>();
    private final AtomicReference<Subscription> subscription = new AtomicReference<>();
    private final AtomicInteger pings = new AtomicInteger();
    private final boolean answerPings;
    private volatile boolean paused;
    private Disposable running;

    private ChatClient(boolean startPaused, boolean answerPings) {
        this.paused = startPaused;
        this.answerPings = answerPings;
    }

    public static ChatClient connect(int port, String query) {
        return open(port, query, false, 0, true);
    }

    /**
     * @param startPaused do not read anything until {@link #resumeReading()}
     * @param receiveBuffer SO_RCVBUF in bytes (0: system default); small makes TCP back up sooner
     * @param answerPings whether to answer the server's WebSocket pings
     */
    public static ChatClient open(int port, String query, boolean startPaused, int receiveBuffer, boolean answerPings) {
        return open(port, query, Map.of(), startPaused, receiveBuffer, answerPings);
    }

    /** Connects with extra handshake headers (a cookie, an Authorization header, an Origin). */
    public static ChatClient connect(int port, String query, Map<String, String> headers) {
        return open(port, query, headers, false, 0, true);
    }

    private static ChatClient open(int port, String query, Map<String, String> headers, boolean startPaused,
                                   int receiveBuffer, boolean answerPings) {
        ChatClient client = new ChatClient(startPaused, answerPings);
        HttpClient http = HttpClient.create().headers(h -> headers.forEach(h::set));
        if (receiveBuffer > 0) {
            http = http.option(ChannelOption.SO_RCVBUF, receiveBuffer);
        }
        client.running = http
                .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(1 << 20).handlePing(true).build())
                .uri("ws://localhost:" + port + "/ws" + (query.isEmpty() ? "" : "?" + query))
                .handle((in, out) -> {
                    in.withConnection(client.connection::complete);
                    in.receiveCloseStatus().subscribe(client.closeStatus::complete);
                    Mono<Void> sending = out.sendObject(client.outbound.asFlux()).then();
                    Mono<Void> receiving = Mono.create(done -> in.receiveFrames().subscribe(client.reader(done::success)));
                    return Mono.when(sending, receiving);
                })
                .subscribe(null, client::failed, () -> client.closeStatus.complete(WebSocketCloseStatus.EMPTY));
        return client;
    }

    /** Waits for the welcome and returns it. */
    public JsonNode welcome() {
        return expect("welcome");
    }

    public void send(Map<String, ?> frame) {
        sendText(JSON.writeValueAsString(frame));
    }

    public void sendText(String text) {
        outbound.tryEmitNext(new TextWebSocketFrame(text));
    }

    /** One text message in two WebSocket frames: a first fragment and its continuation. */
    public void sendFragmented(String first, String rest) {
        outbound.tryEmitNext(new TextWebSocketFrame(false, 0, first));
        outbound.tryEmitNext(new ContinuationWebSocketFrame(true, 0, rest));
    }

    public void sendBinary(byte[] bytes) {
        outbound.tryEmitNext(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
    }

    /**
     * Sends a request and waits for its reply (or its error), matched by {@code id}; other frames
     * received meanwhile are skipped.
     */
    public JsonNode call(Map<String, ?> frame) {
        String id = "call-" + CALLS.incrementAndGet();
        Map<String, Object> request = new LinkedHashMap<>(frame);
        request.put("id", id);
        send(request);
        return await(reply -> id.equals(reply.path("id").asString()));
    }

    /** The next frame, whatever it is. */
    public JsonNode next() {
        try {
            JsonNode frame = inbox.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within " + TIMEOUT + connectionState());
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * The next frame, or null once the connection has closed and every frame it received has been
     * taken; fails if neither happens within the timeout.
     */
    public JsonNode nextOrClosed() {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                // in slices, to notice the close: it puts nothing in the inbox
                JsonNode frame = inbox.poll(Math.min(50_000_000L, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (frame != null) {
                    return frame;
                }
                if (closeStatus.isDone() && inbox.isEmpty()) {
                    return null;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no frame and no close within " + TIMEOUT);
    }

    /** The next frame of the given type, skipping others (presence, typing...). */
    public JsonNode expect(String type) {
        return await(frame -> type.equals(frame.path("type").asString()));
    }

    /** The next frame matching, skipping others; fails after the timeout. */
    public JsonNode await(Predicate<JsonNode> matches) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                JsonNode frame = inbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (frame != null && matches.test(frame)) {
                    return frame;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no matching frame within " + TIMEOUT + connectionState());
    }

    /** Why nothing came, when the connection says: a close the server sent, or a failure. */
    private String connectionState() {
        if (!closeStatus.isDone()) {
            return " (connection open)";
        }
        if (closeStatus.isCompletedExceptionally()) {
            return " (connection failed)";
        }
        WebSocketCloseStatus status = closeStatus.join();
        return " (closed with " + status.code() + " " + status.reasonText() + ")";
    }

    /** Every frame received so far, without waiting. */
    public List<JsonNode> drain() {
        List<JsonNode> frames = new ArrayList<>();
        inbox.drainTo(frames);
        return frames;
    }

    /** The close status the server sent, waiting at most the timeout. */
    public WebSocketCloseStatus closeStatus() {
        return closeStatus(TIMEOUT);
    }

    public WebSocketCloseStatus closeStatus(Duration timeout) {
        try {
            return closeStatus.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("not closed within " + timeout, e);
        }
    }

    public boolean isClosed() {
        return closeStatus.isDone();
    }

    public int pingsReceived() {
        return pings.get();
    }

    public void pauseReading() {
        paused = true;
    }

    public void resumeReading() {
        paused = false;
        Subscription s = subscription.get();
        if (s != null) {
            s.request(1);
        }
    }

    /** Starts the close handshake: the server answers with its own close frame. */
    public void sendClose(int code, String reason) {
        outbound.tryEmitNext(new CloseWebSocketFrame(code, reason));
    }

    /** Drops the TCP connection without a close handshake (a client that vanishes). */
    public void vanish() {
        connection.thenAccept(c -> c.channel().close());
    }

    @Override
    public void close() {
        outbound.tryEmitComplete();
        connection.thenAccept(Connection::dispose);
        if (running != null) {
            running.dispose();
        }
    }

    private BaseSubscriber<WebSocketFrame> reader(Runnable onDone) {
        return new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription s) {
                subscription.set(s);
                if (!paused) {
                    s.request(1);
                }
            }

            @Override
            protected void hookOnNext(WebSocketFrame frame) {
                if (frame instanceof TextWebSocketFrame text) {
                    inbox.add(JSON.readTree(text.text()));
                } else if (frame instanceof PingWebSocketFrame ping) {
                    if (answerPings) {
                        outbound.tryEmitNext(new PongWebSocketFrame(ping.content().retain()));
                    }
                    // counted once answered: a test that sees the count sends after the pong
                    pings.incrementAndGet();
                }
                // one frame at a time, so that pausing really stops reading the socket
                if (!paused) {
                    request(1);
                }
            }

            @Override
            protected void hookFinally(reactor.core.publisher.SignalType type) {
                onDone.run();
            }
        };
    }

    private void failed(Throwable error) {
        closeStatus.completeExceptionally(error);
    }

    public static String text(int codePoints) {
        return "x".repeat(codePoints);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
