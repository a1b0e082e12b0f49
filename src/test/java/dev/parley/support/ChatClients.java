package dev.parley.support;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Opens test clients and closes every one after each test. Register with
 * {@code @RegisterExtension final ChatClients clients = new ChatClients();}.
 */
public final class ChatClients implements AfterEachCallback {
    private final List<ChatClient> open = new CopyOnWriteArrayList<>();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

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

    /**
     * A registered user (registered and logged in through {@link Accounts} the first time), connected
     * with its token; its welcome is still to be read.
     */
    public ChatClient user(int port, String name) {
        return track(ChatClient.connect(port, userQuery(port, name)));
    }

    /** The handshake query of a registered user: its token as {@code access_token}. */
    public String userQuery(int port, String name) {
        return "access_token=" + token(port, name);
    }

    /** The user's token (one login per user and test). */
    public String token(int port, String name) {
        return tokens.computeIfAbsent(port + "/" + name.toLowerCase(Locale.ROOT),
                key -> Accounts.token(port, name));
    }

    /** A registered user, past its welcome. */
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
        tokens.clear();
    }
}
