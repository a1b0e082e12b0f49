package dev.parley.websocket;

import dev.parley.stats.CloseReason;
import dev.parley.stats.ParleyMetrics;
import dev.parley.support.ChatClient;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Server pings keep live clients open; a silent connection is closed after the idle timeout. */
@ParleyTest
@TestPropertySource(properties = {"parley.ws.ping-interval=200ms", "parley.ws.idle-timeout=1s"})
class KeepAliveTimeoutTests {
    @LocalServerPort
    int port;
    @Autowired
    ParleyMetrics metrics;

    @Test
    void aClientThatAnswersPingsStaysOpenPastTheIdleTimeout() {
        try (ChatClient client = ChatClient.connect(port, "nickname=alive")) {
            client.welcome();

            // six pings span more than the idle timeout: the pongs kept it open
            await().atMost(Duration.ofSeconds(10)).until(() -> client.pingsReceived() >= 6);

            assertThat(client.isClosed()).isFalse();
            client.send(Map.of("type", "ping", "id", "still"));
            assertThat(client.expect("pong").get("id").asString()).isEqualTo("still");
        }
    }

    @Test
    void aSilentClientIsClosedAfterTheIdleTimeout() {
        double idleBefore = metrics.connectionsClosed(CloseReason.IDLE);
        try (ChatClient client = ChatClient.open(port, "nickname=silent", false, 0, false)) {
            client.welcome();

            assertThat(client.closeStatus().code()).isEqualTo(1000);
            assertThat(client.closeStatus().reasonText()).isEqualTo("idle timeout");
            assertThat(client.pingsReceived()).isPositive();
            assertThat(metrics.connectionsClosed(CloseReason.IDLE)).isGreaterThan(idleBefore);
        }
    }
}
