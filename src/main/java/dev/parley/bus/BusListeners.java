package dev.parley.bus;

import org.springframework.beans.factory.ObjectProvider;

import java.util.Collection;
import java.util.List;

/**
 * Every listener of this node, found when first needed: the listeners publish on the bus themselves, so they
 * cannot be handed to it when it is made.
 */
public final class BusListeners implements BusListener {
    private final ObjectProvider<BusListener> provider;
    private volatile List<BusListener> listeners;

    public BusListeners(ObjectProvider<BusListener> provider) {
        this.provider = provider;
    }

    private List<BusListener> all() {
        List<BusListener> found = listeners;
        if (found == null) {
            found = provider.orderedStream().filter(listener -> !(listener instanceof BusListeners)).toList();
            listeners = found;
        }
        return found;
    }

    @Override
    public void onMessage(RoomMessage message) {
        for (BusListener listener : all()) {
            listener.onMessage(message);
        }
    }

    @Override
    public void onPresence(PresenceChange change) {
        for (BusListener listener : all()) {
            listener.onPresence(change);
        }
    }

    @Override
    public void onRoomChange(RoomChange change) {
        for (BusListener listener : all()) {
            listener.onRoomChange(change);
        }
    }

    @Override
    public void onPresenceSnapshot(Collection<PresenceChange> everyone) {
        for (BusListener listener : all()) {
            listener.onPresenceSnapshot(everyone);
        }
    }

    @Override
    public void onRegistered(String userKey, String name, boolean local) {
        for (BusListener listener : all()) {
            listener.onRegistered(userKey, name, local);
        }
    }

    @Override
    public void onLoggedOut(String tokenId) {
        for (BusListener listener : all()) {
            listener.onLoggedOut(tokenId);
        }
    }

    @Override
    public void onLiveNodes(Collection<String> nodes) {
        for (BusListener listener : all()) {
            listener.onLiveNodes(nodes);
        }
    }

    @Override
    public void onNodeGone(String node) {
        for (BusListener listener : all()) {
            listener.onNodeGone(node);
        }
    }

    @Override
    public void onPeerResumed() {
        for (BusListener listener : all()) {
            listener.onPeerResumed();
        }
    }

    @Override
    public void onResumed() {
        for (BusListener listener : all()) {
            listener.onResumed();
        }
    }
}
