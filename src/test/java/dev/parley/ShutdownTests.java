package dev.parley;

import dev.parley.support.ChatClient;
import dev.parley.support.ConsoleClient;
import dev.parley.support.ParleyProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Graceful shutdown on SIGTERM, in a server process of its own (closing a server inside
 * the test JVM would also dispose the event loops the other tests' servers share): every
 * WebSocket client is told 1001 (reconnect elsewhere and resume), every console
 * {@code BYE server shutting down}, and what was acked is there after a restart.
 */
class ShutdownTests {
    @TempDir
    Path dataDir;

    @Test
    void sigtermClosesEveryConnectionWith1001AndKeepsWhatWasAcked() throws Exception {
        long acked;
        try (ParleyProcess server = ParleyProcess.start(dataDir);
             ChatClient one = ChatClient.connect(server.port(), "nickname=one");
             ChatClient two = ChatClient.connect(server.port(), "nickname=two");
             ConsoleClient three = ConsoleClient.guest(server.tcpPort(), "three")) {
            one.welcome();
            two.welcome();
            one.send(Map.of("type", "send", "room", "general", "text", "last words", "id", "l"));
            acked = one.expect("ack").get("seq").asLong();

            server.terminate();

            assertThat(one.closeStatus().code()).isEqualTo(1001);
            assertThat(two.closeStatus().code()).isEqualTo(1001);
            assertThat(three.untilClosed()).contains("one >> last words").last().isEqualTo("BYE server shutting down");
            assertThat(server.awaitExit()).isIn(0, 143);
        }
        try (ParleyProcess again = ParleyProcess.start(dataDir);
             ChatClient back = ChatClient.connect(again.port(), "nickname=one")) {
            assertThat(back.welcome().get("rooms").get(0).get("seq").asLong()).isEqualTo(acked);
        }
    }
}
