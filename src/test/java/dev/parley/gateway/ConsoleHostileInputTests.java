package dev.parley.gateway;

import dev.parley.stats.CloseReason;
import dev.parley.stats.ParleyMetrics;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ConsoleClient;
import dev.parley.support.Consoles;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.parley.support.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a console may throw at the gateway: over-long lines, bytes that are not UTF-8, a line that
 * never ends, connections that never log in, and a console that stops reading.
 */
@ParleyTest
@TestPropertySource(properties = "parley.tcp.login-timeout=2s")
class ConsoleHostileInputTests {
    @Autowired
    TcpGateway gateway;
    @Autowired
    ParleyMetrics metrics;
    @LocalServerPort
    int httpPort;

    @RegisterExtension
    final ChatClients clients = new ChatClients();
    @RegisterExtension
    final Consoles consoles = new Consoles();
    private int port;

    @BeforeEach
    void port() {
        port = gateway.port().orElseThrow();
    }

    @Test
    void aLineLongerThanTheTextLimitIsRefusedAndTheConnectionStays() {
        ConsoleClient jon = consoles.guest(port, "ch-jon");
        jon.send("x".repeat(4001));
        jon.expect("ERROR too_large message text is longer than 4000 characters");
        jon.send("/msg ch-jon2 " + "y".repeat(4001));
        assertThat(jon.line()).startsWith("ERROR ");
        jon.send("x".repeat(4000));
        jon.expect("ch-jon >> " + "x".repeat(4000));
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedAndTheConnectionStays() {
        ConsoleClient console = consoles.connect(port);
        console.expect("YOUR NICK?");
        console.sendRaw(new byte[] {(byte) 0xC3, 0x28, '\n'});
        console.expect("ERROR bad_request a line must be UTF-8");
        console.send("ch-utf");
        console.expect("HELLO ch-utf");
        console.sync();
        console.sendRaw(new byte[] {'o', 'k', ' ', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'});
        console.expect("ERROR bad_request a line must be UTF-8");
        console.send("still here");
        console.expect("ch-utf >> still here");
    }

    @Test
    void aLineLongerThanTheLineLimitIsRefusedAndTheNextLineIsHandled() {
        ConsoleClient console = consoles.guest(port, "ch-long");
        console.send("x".repeat(100_000));
        console.expect("ERROR too_large a line is at most 65536 bytes");
        console.send("still here");
        console.expect("ch-long >> still here");
    }

    @Test
    void aLineOfSeveralMegabytesIsDroppedAsItArrivesAndTheConnectionStays() {
        ConsoleClient console = consoles.guest(port, "ch-endless");
        byte[] piece = new byte[64 * 1024];
        Arrays.fill(piece, (byte) 'a');
        // 8 MiB in pieces: the gateway has to drop them as they come, it never sees the line whole
        for (int i = 0; i < 128; i++) {
            console.sendRaw(piece);
        }
        console.sendRaw(new byte[] {'\n'});
        console.expect("ERROR too_large a line is at most 65536 bytes");
        console.send("still here");
        console.expect("ch-endless >> still here");
    }

    @Test
    void aLineLongerThanTheLineLimitBeforeTheNickIsRefusedAndTheDialogueGoesOn() {
        ConsoleClient console = consoles.connect(port);
        console.expect("YOUR NICK?");
        console.send("n".repeat(70 * 1024));
        console.expect("ERROR too_large a line is at most 65536 bytes");
        console.send("ch-patient");
        console.expect("HELLO ch-patient");
    }

    @Test
    void connectionsThatNeverSayTheirNickAreClosedAfterTheLoginTimeout() {
        List<ConsoleClient> silent = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            silent.add(consoles.connect(port));
        }
        for (ConsoleClient console : silent) {
            console.expect("YOUR NICK?");
        }
        for (ConsoleClient console : silent) {
            assertThat(console.untilClosed()).containsExactly("BYE too slow: say your nick within 2s");
        }
        ConsoleClient late = consoles.guest(port, "ch-late");
        late.send("the gateway still answers");
        late.expect("ch-late >> the gateway still answers");
    }

    @Test
    void aConsoleThatStopsReadingIsCutOffWithoutDelayingAnyoneElse() {
        double before = metrics.connectionsClosed(CloseReason.SLOW);
        ConsoleClient stalled = consoles.track(ConsoleClient.connect(port, 4096));
        stalled.expect("YOUR NICK?");
        stalled.send("ch-stalled");
        stalled.expect("HELLO ch-stalled");
        ChatClient reader = clients.welcomedGuest(httpPort, "ch-reader");
        ChatClient publisher = clients.welcomedGuest(httpPort, "ch-publisher");
        String text = "z".repeat(4000);
        // beyond the outbox (1 MiB) and what the kernel buffers for the socket (a few MiB)
        int sent = 2000;
        for (int i = 0; i < sent; i++) {
            publisher.send(frame("send", "room", "general", "text", text, "id", "p" + i));
        }
        int received = 0;
        while (received < sent) {
            if ("message".equals(reader.next().path("type").asString())) {
                received++;
            }
        }
        assertThat(received).as("the reader got everything, each within the client's bounded wait").isEqualTo(sent);
        // the stalled console never read another byte: its outbox overflowed and it was cut off
        await().atMost(ChatClient.TIMEOUT).until(() -> metrics.connectionsClosed(CloseReason.SLOW) > before);
        // what the stalled console still had in its socket, then the end: no BYE, its backlog was dropped
        List<String> rest = stalled.untilClosed();
        assertThat(rest).doesNotContain("BYE slow consumer");
        assertThat(rest.size()).isLessThan(sent);
        // whole lines, but for the one the socket was dropped in the middle of
        String whole = "ch-publisher >> " + text;
        assertThat(rest).allMatch(line -> whole.startsWith(line) || !line.startsWith("ch-publisher"));
    }
}
