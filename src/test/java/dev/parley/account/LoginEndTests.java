package dev.parley.account;

import dev.parley.gateway.TcpGateway;
import dev.parley.support.Accounts;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ConsoleClient;
import dev.parley.support.Consoles;
import dev.parley.support.MovableTime;
import dev.parley.support.MutableClock;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a login opened ends with it: a console signed in with a token when the token is logged out, and
 * any connection when its token expires (on a clock the test moves; the keep-alive looks every 200 ms).
 */
@ParleyTest
@Import(MovableTime.class)
@TestPropertySource(properties = {"parley.ws.ping-interval=200ms", "parley.auth.token-ttl=1h"})
class LoginEndTests {
    @LocalServerPort
    int port;
    @Autowired
    TcpGateway gateway;
    @Autowired
    MutableClock clock;

    @RegisterExtension
    final ChatClients clients = new ChatClients();
    @RegisterExtension
    final Consoles consoles = new Consoles();

    private ConsoleClient consoleWithToken(String name, String token) {
        ConsoleClient console = consoles.connect(gateway.port().orElseThrow());
        console.expect("YOUR NICK?");
        console.send(name);
        console.expect("PASSWORD?");
        console.send(token);
        console.expect("HELLO " + name);
        return console;
    }

    @Test
    void loggingATokenOutEndsTheConsolesItSignedIn() {
        String token = clients.token(port, "le-console");
        ConsoleClient withToken = consoleWithToken("le-console", token);
        ConsoleClient withPassword = consoleWithToken("le-console", Accounts.password("le-console"));

        Accounts.http(port).post().uri("/api/auth/logout").header(HttpHeaders.AUTHORIZATION, Accounts.bearer(token))
                .exchange().expectStatus().isNoContent();

        assertThat(withToken.untilClosed()).last().isEqualTo("BYE logged out");
        withPassword.send("/who");
        assertThat(withPassword.line()).as("a password's console is not the token's").startsWith("ONLINE");
    }

    @Test
    void aConnectionEndsWhenTheTokenItOpenedWithExpires() {
        String token = clients.token(port, "le-expiring");
        ChatClient socket = clients.track(ChatClient.connect(port, "access_token=" + token));
        socket.welcome();
        ConsoleClient console = consoleWithToken("le-expiring", token);
        ChatClient guest = clients.welcomedGuest(port, "le-guest");

        clock.advance(Duration.ofHours(1).plusSeconds(1));

        assertThat(socket.closeStatus().code()).isEqualTo(1008);
        assertThat(socket.closeStatus().reasonText()).isEqualTo("login expired");
        assertThat(console.untilClosed()).last().isEqualTo("BYE login expired");
        assertThat(guest.isClosed()).as("a guest has no credential to expire").isFalse();
    }
}
