package dev.parley.gateway;

import dev.parley.support.Accounts;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ConsoleClient;
import dev.parley.support.Consoles;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static dev.parley.support.Frames.frame;
import static dev.parley.support.Frames.is;
import static org.assertj.core.api.Assertions.assertThat;

/** The console gateway's dialogue and commands over real TCP sockets, beside WebSocket users. */
@ParleyTest
class ConsoleGatewayTests {
    @Autowired
    TcpGateway gateway;
    @org.springframework.boot.test.web.server.LocalServerPort
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

    private ConsoleClient console() {
        return consoles.connect(port);
    }

    private ConsoleClient guest(String nick) {
        return consoles.guest(port, nick);
    }

    @Test
    void theDialogueOfTheContract() {
        ConsoleClient jon = console();
        jon.expect("YOUR NICK?");
        jon.send("cg-jon_node");
        jon.expect("HELLO cg-jon_node");
        jon.sync();
        jon.send("hello everyone");
        jon.expect("cg-jon_node >> hello everyone");
        jon.send("  QUIT ");
        assertThat(jon.untilClosed()).containsExactly("BYE bye");
    }

    @Test
    void crLfLineEndsAndUtf8AreUnderstood() {
        ConsoleClient jon = console();
        jon.expect("YOUR NICK?");
        jon.sendRaw("cg-crlf\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        jon.expect("HELLO cg-crlf");
        jon.sync();
        jon.sendRaw("grüße, 世界 🎉\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        jon.expect("cg-crlf >> grüße, 世界 🎉");
    }

    @Test
    void aNickInUseOrInvalidIsAskedAgain() {
        clients.welcomedGuest(httpPort, "cg-sue");
        ConsoleClient console = console();
        console.expect("YOUR NICK?");
        console.send("CG-SUE");
        console.expect("NICK TAKEN");
        console.expect("YOUR NICK?");
        console.send("no spaces please");
        assertThat(console.line()).startsWith("ERROR bad_request ");
        console.expect("YOUR NICK?");
        console.send("cg-sue2");
        console.expect("HELLO cg-sue2");
    }

    @Test
    void aRegisteredNameIsUsedOnlyWithItsPasswordOrToken() {
        Accounts.register(httpPort, "cg-ada");
        ConsoleClient console = console();
        console.expect("YOUR NICK?");
        console.send("CG-ADA");
        console.expect("PASSWORD?");
        console.send("not it");
        console.expect("ERROR unauthorized wrong username or password");
        console.expect("YOUR NICK?");
        console.send("cg-ada");
        console.expect("PASSWORD?");
        console.send(Accounts.password("cg-ada"));
        console.expect("HELLO cg-ada");

        ConsoleClient second = console();
        second.expect("YOUR NICK?");
        second.send("cg-ada");
        second.expect("PASSWORD?");
        second.send(clients.token(httpPort, "cg-ada"));
        second.expect("HELLO cg-ada");
    }

    @Test
    void consoleAndWebSocketUsersTalkBothWays() {
        ChatClient alice = clients.welcomedGuest(httpPort, "cg-alice");
        ConsoleClient jon = guest("cg-jon");
        alice.call(frame("send", "room", "general", "text", "hi from the browser"));
        jon.await(line -> line.equals("cg-alice >> hi from the browser"));

        jon.send("hi from the console");
        JsonNode message = alice.await(f -> "message".equals(f.path("type").asString()) && "cg-jon".equals(f.path("from").asString()));
        assertThat(message.get("text").asString()).isEqualTo("hi from the console");
        assertThat(message.get("room").asString()).isEqualTo("general");
    }

    @Test
    void messagesOfOtherRoomsArePrefixedWithTheRoom() {
        ChatClient alice = clients.welcomedGuest(httpPort, "cg-alice2");
        alice.call(frame("create", "room", "cg-dev"));
        ConsoleClient jon = guest("cg-jon2");
        jon.send("/join cg-dev");
        jon.expect("JOINED cg-dev");
        jon.sync();
        alice.call(frame("send", "room", "cg-dev", "text", "in dev"));
        jon.await(line -> line.equals("cg-alice2 >> in dev"));

        jon.send("/join general");
        jon.expect("JOINED general");
        jon.sync();
        alice.call(frame("send", "room", "cg-dev", "text", "still in dev"));
        jon.await(line -> line.equals("[cg-dev] cg-alice2 >> still in dev"));
        jon.send("talking in general");
        jon.await(line -> line.equals("cg-jon2 >> talking in general"));
        assertThat(alice.await(is("message", "general")).get("text").asString()).isEqualTo("talking in general");
    }

    @Test
    void joiningShowsWhatWasSaidLatelyAtMostFiftyLines() {
        ChatClient alice = clients.welcomedGuest(httpPort, "cg-alice3");
        alice.call(frame("create", "room", "cg-hist"));
        for (int i = 1; i <= 60; i++) {
            alice.call(frame("send", "room", "cg-hist", "text", "m" + i));
        }
        ConsoleClient jon = guest("cg-jon3");
        jon.send("/join cg-hist");
        jon.expect("JOINED cg-hist");
        List<String> recent = jon.sync();
        assertThat(recent).hasSize(50).first().isEqualTo("cg-alice3 >> m11");
        assertThat(recent).last().isEqualTo("cg-alice3 >> m60");
    }

    @Test
    void everyCommand() {
        ChatClient bob = clients.welcomedGuest(httpPort, "cg-bob");
        ConsoleClient jon = guest("cg-jon4");

        jon.send("/help");
        assertThat(jon.sync()).hasSize(ConsoleCommands.HELP.size()).allMatch(line -> line.startsWith("HELP "));
        jon.send("/who");
        assertThat(jon.await(line -> line.startsWith("ONLINE "))).contains(" cg-bob", " cg-jon4");

        jon.send("/create cg-ops private");
        jon.expect("JOINED cg-ops");
        jon.send("/rooms");
        assertThat(jon.await(line -> line.startsWith("ROOMS "))).contains(" general*", " cg-ops*");
        jon.send("secret plans");
        jon.expect("cg-jon4 >> secret plans");
        jon.send("/leave cg-ops");
        jon.expect("LEFT cg-ops");
        jon.expect("* you are in general");

        jon.send("/msg cg-bob psst");
        jon.expect("[@cg-bob+cg-jon4] cg-jon4 >> psst");
        JsonNode dm = bob.await(is("message", "@cg-bob+cg-jon4"));
        assertThat(dm.get("text").asString()).isEqualTo("psst");
        bob.call(frame("dm", "to", "cg-jon4", "text", "got it"));
        jon.expect("[@cg-bob+cg-jon4] cg-bob >> got it");

        jon.send("/msg cg-nobody hello");
        jon.expect("ERROR no_such_user nobody is called 'cg-nobody'");
        jon.send("/join");
        jon.expect("ERROR bad_request usage: /join ROOM");
        jon.send("/join cg-nowhere");
        jon.expect("ERROR no_such_room no room 'cg-nowhere'");
        jon.send("/dance");
        jon.expect("ERROR bad_request no command /dance; /help lists them");
        jon.send("/quit");
        assertThat(jon.untilClosed()).containsExactly("BYE bye");
    }

    @Test
    void othersJoiningAndLeavingAreShown() {
        ChatClient alice = clients.welcomedGuest(httpPort, "cg-alice5");
        alice.call(frame("create", "room", "cg-lobby"));
        ConsoleClient jon = guest("cg-jon5");
        jon.send("/join cg-lobby");
        jon.expect("JOINED cg-lobby");
        jon.sync();
        ChatClient carl = clients.welcomedGuest(httpPort, "cg-carl");
        carl.call(frame("join", "room", "cg-lobby"));
        jon.await(line -> line.equals("* cg-carl joined"));
        carl.call(frame("leave", "room", "cg-lobby"));
        jon.await(line -> line.equals("* cg-carl left"));
    }

    @Test
    void controlCharactersFromOthersNeverReachTheTerminal() {
        ChatClient mallory = clients.welcomedGuest(httpPort, "cg-mallory");
        ConsoleClient jon = guest("cg-jon6");
        mallory.call(frame("send", "room", "general", "text", "clear\u001b[2Jscreen\u0007\nsecond line"));
        jon.await(line -> line.equals("cg-mallory >> clear\uFFFD[2Jscreen\uFFFD"));
        jon.expect("cg-mallory >> second line");
    }
}
