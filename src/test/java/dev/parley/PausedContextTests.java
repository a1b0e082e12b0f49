package dev.parley;

import dev.parley.support.ChatClient;
import dev.parley.support.ChatClients;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.parley.support.Frames.code;
import static dev.parley.support.Frames.frame;
import static dev.parley.support.Frames.is;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring's test framework pauses a cached context while another one is in use and starts it again
 * when a test needs it: every lifecycle part must come back whole. A purge left stopped by the
 * pause once kept every later deletion in the shared context from ending (no {@code room_deleted}).
 */
@ParleyTest
class PausedContextTests {
    @Autowired
    ConfigurableApplicationContext context;

    @RegisterExtension
    final ChatClients clients = new ChatClients();

    @Test
    void afterAPauseAndARestartRoomsAreStillDeletedAndMessagesStillFlow() {
        context.pause();
        context.restart();
        int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);

        ChatClient host = clients.welcomedUser(port, "pc-host");
        ChatClient guest = clients.welcomedGuest(port, "pc-visitor");
        guest.call(frame("dm", "to", "pc-host", "text", "after the pause"));
        assertThat(host.await(is("message", "@pc-host+pc-visitor")).get("text").asString())
                .isEqualTo("after the pause");

        guest.close();

        host.await(is("room_deleted", "@pc-host+pc-visitor"));
        assertThat(code(host.call(frame("history", "room", "@pc-host+pc-visitor")))).isEqualTo("no_such_room");
    }
}
