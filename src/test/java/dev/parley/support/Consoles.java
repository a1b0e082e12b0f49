package dev.parley.support;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Opens console clients and closes every one after each test. Register with
 * {@code @RegisterExtension final Consoles consoles = new Consoles();}.
 */
public final class Consoles implements AfterEachCallback {
    private final List<ConsoleClient> open = new CopyOnWriteArrayList<>();

    /** A connection that has not logged in: {@code YOUR NICK?} is still to be read. */
    public ConsoleClient connect(int port) {
        return track(ConsoleClient.connect(port));
    }

    /** A guest past {@code HELLO} and the lines of general shown with it. */
    public ConsoleClient guest(int port, String nick) {
        return track(ConsoleClient.guest(port, nick));
    }

    public ConsoleClient track(ConsoleClient console) {
        open.add(console);
        return console;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        open.forEach(ConsoleClient::close);
        open.clear();
    }
}
