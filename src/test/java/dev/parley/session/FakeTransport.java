package dev.parley.session;

import dev.parley.stats.CloseReason;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A transport that records what the session asked of it. */
final class FakeTransport implements Transport {
    private final List<Close> closes = new CopyOnWriteArrayList<>();

    record Close(CloseReason reason, int code, String message) {
    }

    @Override
    public void close(CloseReason reason, int code, String message) {
        closes.add(new Close(reason, code, message));
    }

    List<Close> closes() {
        return closes;
    }
}
