package dev.parley.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's line decoding on its own: over-long lines are dropped as they arrive, in bounded memory. */
class ConsoleLinesTests {
    private static final int LINE_MAX = 64 * 1024;

    private final UnpooledByteBufAllocator memory = new UnpooledByteBufAllocator(false);
    private final EmbeddedChannel channel = new EmbeddedChannel(ConsoleLines.handlers(LINE_MAX));

    ConsoleLinesTests() {
        channel.config().setAllocator(memory);
    }

    @Test
    void linesUpToTheLimitArePassedOnWhole() {
        write("hello\r\n" + "x".repeat(LINE_MAX) + "\n");
        assertThat(lines()).containsExactly("hello", "x".repeat(LINE_MAX));
    }

    @Test
    void aLineOfSeveralMegabytesIsReadAsOneTooLongAndNeverHeldBeyondTheLimit() {
        String piece = "a".repeat(8 * 1024);
        long held = 0;
        for (int i = 0; i < 1024; i++) {
            write(piece);
            held = Math.max(held, memory.metric().usedHeapMemory());
        }
        write("\nnext\n");
        assertThat(channel.<Object>readInbound()).isSameAs(ConsoleLines.TOO_LONG);
        assertThat(lines()).containsExactly("next");
        // 8 MiB went through; what the decoder kept at any time stayed within a buffer or two of the limit
        assertThat(held).isBetween(1L, 2L * LINE_MAX);
        assertThat(channel.finishAndReleaseAll()).isFalse();
        assertThat(memory.metric().usedHeapMemory()).isZero();
    }

    @Test
    void aCompleteLineOverTheLimitIsOneTooLongBetweenTheLinesAroundIt() {
        write("before\n" + "b".repeat(LINE_MAX + 1) + "\nafter\n");
        assertThat(lines()).containsExactly("before");
        assertThat(channel.<Object>readInbound()).isSameAs(ConsoleLines.TOO_LONG);
        assertThat(lines()).containsExactly("after");
    }

    private void write(String text) {
        ByteBuf bytes = memory.heapBuffer().writeBytes(text.getBytes(StandardCharsets.UTF_8));
        channel.writeInbound(bytes);
    }

    /** The lines read so far, up to anything that is not a line. */
    private List<String> lines() {
        List<String> lines = new ArrayList<>();
        while (channel.inboundMessages().peek() instanceof ByteBuf) {
            ByteBuf line = channel.readInbound();
            lines.add(line.toString(StandardCharsets.UTF_8));
            line.release();
        }
        return lines;
    }
}
