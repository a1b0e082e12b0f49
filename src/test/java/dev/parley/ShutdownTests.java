package dev.parley;

import dev.parley.support.ChatClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Graceful shutdown: every client is told 1001 (reconnect elsewhere and resume), and what was acked stays. */
class ShutdownTests {
    @TempDir
    Path dataDir;

    @Test
    void shutdownClosesEveryConnectionWith1001() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ParleyApplication.class)
                .run("--server.port=0", "--parley.data-dir=" + dataDir);
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        try (ChatClient one = ChatClient.connect(port, "nickname=one");
             ChatClient two = ChatClient.connect(port, "nickname=two")) {
            one.welcome();
            two.welcome();
            one.send(Map.of("type", "send", "room", "general", "text", "last words", "id", "l"));
            one.expect("ack");

            context.close();

            assertThat(one.closeStatus().code()).isEqualTo(1001);
            assertThat(two.closeStatus().code()).isEqualTo(1001);
        } finally {
            context.close();
        }
    }
}
