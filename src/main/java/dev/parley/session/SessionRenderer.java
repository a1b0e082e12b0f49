package dev.parley.session;

import dev.parley.presence.PresenceEvent;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Delivery;

/** Turns frames into a transport's bytes; returns null for a frame the transport does not show. */
public interface SessionRenderer {

    byte[] render(Delivery delivery);

    byte[] render(PresenceEvent event);

    byte[] render(ServerFrame frame);
}
