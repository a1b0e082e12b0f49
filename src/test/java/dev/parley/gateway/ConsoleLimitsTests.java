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
// a console has no ping to show it has read a refusal: with no grace, every refusal counts at once
@TestPropertySource(properties = {"parley.abuse.frames-burst=5", "parley.abuse.frames-per-second=0.001",
        "parley.abuse.strikes=2", "parley.abuse.handshakes=3", "parley.abuse.refusal-grace=0s"})
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
        List<String> lines = flooder.untilClosed();
        assertThat(lines).hasSize(6);
        assertThat(lines.subList(0, 3)).containsExactly("cl-flooder >> a", "cl-flooder >> b", "cl-flooder >> c");
        assertThat(lines.subList(3, 5)).as("each refusal says how long to wait")
                .allMatch(line -> line.matches("ERROR rate_limited too many lines; slow down \\(retry in \\d+ ms\\)"));
        assertThat(lines.get(5)).isEqualTo("BYE rate limits exceeded again and again");
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
                "ERROR rate_limited the server is busy with other handshakes; retry shortly (retry in 1000 ms)",
                "BYE try again later");

        waiting.get(0).send("cl-in");
        waiting.get(0).expect("HELLO cl-in");
        ConsoleClient next = consoles.connect(port);
        next.expect("YOUR NICK?");
    }
}
