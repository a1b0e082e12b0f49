package dev.parley.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Server-to-client text frames written whole (RFC 6455 §5.2: final fragment, opcode text, no mask)
 * into one direct buffer, which the socket takes as it is.
 * <p>
 * Why not a {@code TextWebSocketFrame} through Netty's frame encoder: the encoder copies every frame
 * into a second buffer it allocates, and copying from a heap buffer makes three NIO buffer views per
 * frame. With fan-out, that was per delivery: a fifth of what the server allocated in the many-rooms
 * benchmark. Written here, a delivery is one pooled buffer and one copy of the shared payload bytes,
 * without garbage. Nothing between the connection and the socket looks at text frames (no
 * compression extension is offered), and the frames Netty encodes itself (close, ping) go through the
 * same pipeline in order.
 */
final class TextFrames {
    /** FIN set, RSV bits clear, opcode 1 (text). */
    private static final int FINAL_TEXT = 0x81;
    /** Payload lengths from here to 65,535 take a 16-bit extended length; beyond, a 64-bit one. */
    private static final int SIXTEEN_BIT_LENGTH = 126;
    private static final int SIXTY_FOUR_BIT_LENGTH = 127;
    private static final int MAX_SIXTEEN_BIT = 0xFFFF;

    private TextFrames() {
    }

    /** A complete text frame carrying {@code payload} (UTF-8, not checked here); the caller owns the buffer. */
    static ByteBuf encode(ByteBufAllocator allocator, byte[] payload) {
        int length = payload.length;
        int header = length < SIXTEEN_BIT_LENGTH ? 2 : length <= MAX_SIXTEEN_BIT ? 4 : 10;
        ByteBuf frame = allocator.directBuffer(header + length);
        frame.writeByte(FINAL_TEXT);
        if (length < SIXTEEN_BIT_LENGTH) {
            frame.writeByte(length);
        } else if (length <= MAX_SIXTEEN_BIT) {
            frame.writeByte(SIXTEEN_BIT_LENGTH);
            frame.writeShort(length);
        } else {
            frame.writeByte(SIXTY_FOUR_BIT_LENGTH);
            frame.writeLong(length);
        }
        return frame.writeBytes(payload);
    }
}
