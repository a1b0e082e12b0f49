package dev.parley.gateway;

import dev.parley.support.ConsoleClient;
import dev.parley.support.Consoles;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The WebSocket's abuse limits hold for consoles too: lines are frames, a login is a handshake. */
@ParleyTest
@TestPropertySource(properties = {"parley.abuse.frames-burst=5", "parley.abuse.frames-per-second=0.001",
        "parley.abuse.strikes=2", "parley.abuse.handshakes=3"})
class ConsoleLimitsTests {
    @Autowired
    TcpGateway gateway;

    @RegisterExtension
    final Consoles consoles = new Consoles();
    private int port;

    @BeforeEach
    void port() {
        port = gateway.port().orElseThrow();
    }

    @Test
    void linesOverTheRateAreRefusedThenTheConsoleIsClosed() {
        // the nick and the /who of guest() are lines one and two of five
        ConsoleClient flooder = consoles.guest(port, "cl-flooder");
        for (String text : List.of("a", "b", "c", "d", "e", "f")) {
            flooder.send(text);
        }
        assertThat(flooder.untilClosed()).containsExactly("cl-flooder >> a", "cl-flooder >> b", "cl-flooder >> c",
                "ERROR rate_limited too many lines; slow down", "ERROR rate_limited too many lines; slow down",
                "BYE rate limits exceeded again and again");
    }

    @Test
    void consolesStillLoggingInCountAsHandshakesInProgress() {
        List<ConsoleClient> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ConsoleClient console = consoles.connect(port);
            console.expect("YOUR NICK?");
            waiting.add(console);
        }
        ConsoleClient turnedAway = consoles.connect(port);
        assertThat(turnedAway.untilClosed()).containsExactly(
                "ERROR rate_limited the server is busy with other handshakes; retry shortly", "BYE try again later");

        waiting.get(0).send("cl-in");
        waiting.get(0).expect("HELLO cl-in");
        ConsoleClient next = consoles.connect(port);
        next.expect("YOUR NICK?");
    }
}
