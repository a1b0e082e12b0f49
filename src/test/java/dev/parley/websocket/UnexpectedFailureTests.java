package dev.parley.websocket;

import dev.parley.bus.Bus;
import dev.parley.bus.NodeId;
import dev.parley.config.ParleyProperties;
import dev.parley.gateway.TcpGateway;
import dev.parley.identity.ChatUser;
import dev.parley.presence.PresenceRegistry;
import dev.parley.protocol.FrameCodec;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ConsoleClient;
import dev.parley.support.Consoles;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A failure nobody foresaw while a connection is being set up ends that connection (1011), and every place
 * it held under the connection caps is given back: here, presence fails for users named {@code faulty-*}.
 */
@ParleyTest
@TestPropertySource(properties = {"parley.abuse.connections-per-user=1"})
class UnexpectedFailureTests {
    @LocalServerPort
    int port;
    @Autowired
    TcpGateway gateway;

    @RegisterExtension
    final ChatClients clients = new ChatClients();
    @RegisterExtension
    final Consoles consoles = new Consoles();

    @TestConfiguration
    static class FaultyPresence {
        @Bean
        @Primary
        PresenceRegistry faultyPresence(FrameCodec codec, ObjectProvider<Bus> bus, NodeId node,
                                        ParleyProperties properties) {
            return new PresenceRegistry(codec, bus, node, properties) {
                @Override
                public boolean connect(ChatUser user) {
                    if (user.name().startsWith("faulty-")) {
                        throw new IllegalStateException("injected: presence is broken for " + user.name());
                    }
                    return super.connect(user);
                }
            };
        }
    }

    @Test
    void aWebSocketWhoseSetUpFailsIsClosedAndGivesItsPlaceBack() {
        for (int attempt = 0; attempt < 3; attempt++) {
            // one connection allowed per user: a place kept by a failed one would turn the next away (429) for
            // good; given back, it is free again once the last connection has ended (just after its close frame)
            await().atMost(ChatClient.TIMEOUT).until(() -> {
                ChatClient failing = clients.guest(port, "faulty-ws");
                try {
                    return failing.closeStatus().code() == 1011;
                } catch (AssertionError refused) {
                    return false;
                }
            });
        }
        assertThat(clients.welcomedGuest(port, "fine-ws").call(java.util.Map.of("type", "ping")).get("type").asString())
                .isEqualTo("pong");
    }

    @Test
    void aConsoleWhoseSetUpFailsIsClosedAndGivesItsPlaceBack() {
        int tcp = gateway.port().orElseThrow();
        for (int attempt = 0; attempt < 3; attempt++) {
            ConsoleClient failing = consoles.connect(tcp);
            failing.expect("YOUR NICK?");
            failing.send("faulty-console");
            assertThat(failing.untilClosed()).as("attempt %d", attempt).contains("BYE internal error");
        }
    }
}
