package dev.parley.bus.local;

import dev.parley.bus.Bus;
import dev.parley.bus.BusListener;
import dev.parley.bus.PresenceChange;
import dev.parley.bus.RoomChange;
import dev.parley.bus.RoomMessage;

/** One node: the listeners hear each publication on the publishing thread, in the order published. */
public final class InProcessBus implements Bus {
    private final BusListener listeners;

    public InProcessBus(BusListener listeners) {
        this.listeners = listeners;
    }

    @Override
    public void publish(RoomMessage message) {
        listeners.onMessage(message);
    }

    @Override
    public void publish(PresenceChange change) {
        listeners.onPresence(change);
    }

    @Override
    public void publish(RoomChange change) {
        // no other node to tell
    }

    @Override
    public void registered(String userKey, String name, boolean local) {
        listeners.onRegistered(userKey, name, local);
    }

    @Override
    public void loggedOut(String tokenId) {
        listeners.onLoggedOut(tokenId);
    }
}
