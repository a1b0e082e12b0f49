package dev.parley.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Frames written whole read back through Netty's client-side decoder, at every length encoding's edges. */
class TextFramesTests {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65_535, 65_536, 300_000})
    void aFrameWrittenWholeDecodesAsTheSameText(int length) {
        String text = "é".repeat(length / 2) + "x".repeat(length % 2);
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        assertThat(payload).hasSize(length);
        // the client's view: unmasked frames from a server, up to a generous limit
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 20));

        ByteBuf frame = TextFrames.encode(ByteBufAllocator.DEFAULT, payload);
        assertThat(frame.isDirect()).isTrue();
        assertThat(client.writeInbound(frame)).isTrue();

        TextWebSocketFrame decoded = client.readInbound();
        try {
            assertThat(decoded.isFinalFragment()).isTrue();
            assertThat(decoded.rsv()).isZero();
            assertThat(decoded.text()).isEqualTo(text);
        } finally {
            decoded.release();
        }
        assertThat(client.finishAndReleaseAll()).isFalse();
    }
}
