package dev.parley.support;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Opens test clients and closes every one after each test. Register with
 * {@code @RegisterExtension final ChatClients clients = new ChatClients();}.
 */
public final class ChatClients implements AfterEachCallback {
    private final List<ChatClient> open = new CopyOnWriteArrayList<>();

    /** A guest by nickname; its welcome is still to be read. */
    public ChatClient guest(int port, String nickname) {
        return track(ChatClient.connect(port, "nickname=" + nickname));
    }

    /** A guest by nickname, past its welcome. */
    public ChatClient welcomedGuest(int port, String nickname) {
        ChatClient client = guest(port, nickname);
        client.welcome();
        return client;
    }

    /** A registered user through {@link RegisteredUsers}; its welcome is still to be read. */
    public ChatClient user(int port, String name) {
        return track(ChatClient.connect(port, "user=" + name));
    }

    /** A registered user through {@link RegisteredUsers}, past its welcome. */
    public ChatClient welcomedUser(int port, String name) {
        ChatClient client = user(port, name);
        client.welcome();
        return client;
    }

    public ChatClient track(ChatClient client) {
        open.add(client);
        return client;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        open.forEach(ChatClient::close);
        open.clear();
    }
}
