package dev.parley.websocket;

import dev.parley.session.ChatSession;
import dev.parley.session.SessionRegistry;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.Frames;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.reactive.socket.HandshakeInfo;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An open connection keeps nothing of its handshake but the principal: no header in Spring's
 * handshake info nor in Reactor Netty's operations, and no query (the token travels there), while
 * the connection works as before.
 */
@ParleyTest
class LeanHandshakeTests {
    @LocalServerPort
    int port;
    @Autowired
    SessionRegistry sessions;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    @Test
    void aConnectionKeepsNeitherTheHandshakesHeadersNorItsQuery() {
        ChatClient client = clients.track(ChatClient.connect(port, clients.userQuery(port, "lean-ann"),
                Map.of("X-Probe", "kept-nowhere", "User-Agent", "lean-test")));
        client.welcome();
        WebSocketConnection connection = connectionOf("lean-ann");

        HandshakeInfo handshake = connection.socket().getHandshakeInfo();
        assertThat(handshake.getHeaders().isEmpty()).isTrue();
        assertThat(handshake.getUri().toString()).isEqualTo("/ws");
        assertThat(handshake.getPrincipal().block()).isInstanceOf(HandshakePrincipal.class);
        Object operations = ChannelOperations.get(connection.channel());
        assertThat(operations).isInstanceOf(HttpServerRequest.class).isInstanceOf(HttpServerResponse.class);
        assertThat(((HttpServerRequest) operations).requestHeaders().isEmpty()).as("request headers").isTrue();
        assertThat(((HttpServerResponse) operations).responseHeaders().isEmpty()).as("response headers").isTrue();

        assertThat(client.call(Frames.frame("send", "room", "general", "text", "still here")).path("type").asString())
                .isEqualTo("ack");
        client.sendClose(1000, "bye");
        assertThat(client.closeStatus().code()).isEqualTo(1000);
        await().atMost(ChatClient.TIMEOUT).until(() -> sessions.all().stream()
                .noneMatch(s -> s.user().name().equals("lean-ann")));
    }

    private WebSocketConnection connectionOf(String user) {
        ChatSession session = sessions.all().stream().filter(s -> s.user().name().equals(user)).findFirst().orElseThrow();
        return (WebSocketConnection) session.transport();
    }
}
