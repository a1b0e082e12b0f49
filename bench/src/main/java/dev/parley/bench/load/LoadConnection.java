package dev.parley.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One simulated user on one WebSocket. It counts what arrives and, for frames carrying the
 * generator's own send time (a message's text or an ack's id starts with {@code System.nanoTime()}),
 * records the latency. Lives on the generator's single event loop.
 */
public final class LoadConnection extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final byte[] MESSAGE = FrameScan.bytes("message");
    private static final byte[] ACK = FrameScan.bytes("ack");
    private static final byte[] WELCOME = FrameScan.bytes("welcome");
    private static final byte[] ERROR = FrameScan.bytes("error");
    private static final byte[] JOINED = FrameScan.bytes("joined");

    private final String user;
    private final Tally tally;
    private final CompletableFuture<LoadConnection> welcomed = new CompletableFuture<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile Channel channel;
    private CompletableFuture<String> pendingReply;
    private Consumer<LoadConnection> onAck;
    private int closeCode = -1;
    int inFlight;

    LoadConnection(String user, Tally tally) {
        this.user = user;
        this.tally = tally;
    }

    public Channel channel() {
        return channel;
    }

    public CompletableFuture<LoadConnection> welcomed() {
        return welcomed;
    }

    /** Completes with the close code the server sent (or -1) when the connection ends. */
    public CompletableFuture<Integer> closed() {
        return closed;
    }

    /** Called on the event loop after each ack or refused send, for publishers that keep a window open. */
    public void onAck(Consumer<LoadConnection> onAck) {
        this.onAck = onAck;
    }

    public void send(String json) {
        inFlight++;
        channel.writeAndFlush(new TextWebSocketFrame(json), channel.voidPromise());
    }

    /** Sends a frame and completes with the type of the next ack, joined or error ({@code error:code}). */
    public CompletableFuture<String> request(String json) {
        CompletableFuture<String> reply = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            pendingReply = reply;
            channel.writeAndFlush(new TextWebSocketFrame(json), channel.voidPromise());
        });
        return reply;
    }

    /** Stops reading from the socket, as a stalled client would. */
    public void stall() {
        channel.config().setAutoRead(false);
    }

    public void close() {
        Channel c = channel;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            fail(ctx, new IllegalStateException("handshake timed out"));
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame) {
            read(frame.content());
        } else if (frame instanceof CloseWebSocketFrame close) {
            closeCode = close.statusCode();
            ctx.close();
        }
    }

    private void read(ByteBuf content) {
        long now = System.nanoTime();
        if (FrameScan.typeIs(content, MESSAGE)) {
            tally.delivered(FrameScan.textNumber(content), now);
        } else if (FrameScan.typeIs(content, ACK)) {
            inFlight--;
            tally.acked(FrameScan.idNumber(content), now);
            reply("ack");
            if (onAck != null) {
                onAck.accept(this);
            }
        } else if (FrameScan.typeIs(content, WELCOME)) {
            welcomed.complete(this);
        } else if (FrameScan.typeIs(content, ERROR)) {
            String code = FrameScan.code(content);
            tally.error(code);
            if (!reply("error:" + code) && FrameScan.idNumber(content) > 0) {
                // a refused send (rate_limited, say) frees its place in the window like an ack
                inFlight--;
                if (onAck != null) {
                    onAck.accept(this);
                }
            }
        } else if (FrameScan.typeIs(content, JOINED)) {
            reply("joined");
        } else {
            tally.otherFrames.increment();
        }
    }

    private boolean reply(String type) {
        CompletableFuture<String> reply = pendingReply;
        if (reply == null) {
            return false;
        }
        pendingReply = null;
        reply.complete(type);
        return true;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause);
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (!welcomed.isDone()) {
            tally.failed(cause);
            welcomed.completeExceptionally(cause);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!welcomed.isDone()) {
            IllegalStateException cause = new IllegalStateException("closed before the welcome");
            tally.failed(cause);
            welcomed.completeExceptionally(cause);
        } else {
            tally.closed();
        }
        CompletableFuture<String> reply = pendingReply;
        if (reply != null) {
            reply.complete("closed");
        }
        closed.complete(closeCode);
        super.channelInactive(ctx);
    }
}
