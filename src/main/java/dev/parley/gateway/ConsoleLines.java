package dev.parley.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import reactor.netty.Connection;

/**
 * Cuts a console's bytes into lines of at most {@code line-max} bytes. A longer line is dropped as
 * it arrives, up to its newline, and read as one {@link #TOO_LONG} in its place: the connection
 * answers it and reads on, and never holds more than the limit of any line.
 */
@ChannelHandler.Sharable
final class ConsoleLines extends ChannelInboundHandlerAdapter {
    /** Read in place of a line longer than the limit. */
    static final Object TOO_LONG = new Object() {
        @Override
        public String toString() {
            return "a line too long";
        }
    };
    private static final ConsoleLines INSTANCE = new ConsoleLines();

    private ConsoleLines() {
    }

    static void install(Connection connection, int lineMax) {
        ChannelHandler[] handlers = handlers(lineMax);
        connection.addHandlerLast("lines", handlers[0]).addHandlerLast("too-long", handlers[1]);
    }

    /** The decoder, then this: what the decoder reports as too long becomes a line of its own. */
    static ChannelHandler[] handlers(int lineMax) {
        // not fail-fast: the report comes at the newline, in the order of the lines, once per line
        return new ChannelHandler[] {new LineBasedFrameDecoder(lineMax, true, false), INSTANCE};
    }

    /** A line's bytes (copied: the buffer is released once the inbound's subscriber returns), or {@link #TOO_LONG}. */
    static Object read(Object received) {
        return received instanceof ByteBuf line ? ByteBufUtil.getBytes(line) : received;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            ctx.fireChannelRead(TOO_LONG);
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }
}
