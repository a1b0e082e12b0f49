package dev.parley.bus.local;

import dev.parley.bus.Bus;
import dev.parley.bus.BusListener;
import dev.parley.bus.RoomMessage;

/** One node: the listener hears each message on the publishing thread, in the order published. */
public final class InProcessBus implements Bus {
    private final BusListener listener;

    public InProcessBus(BusListener listener) {
        this.listener = listener;
    }

    @Override
    public void publish(RoomMessage message) {
        listener.onMessage(message);
    }
}
