package dev.parley.session;

import dev.parley.presence.PresenceEvent;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Delivery;

import java.nio.charset.StandardCharsets;

/** Renders broadcasts as their shared bytes and replies as their record's text: enough to tell frames apart. */
public class FakeRenderer implements SessionRenderer {

    @Override
    public byte[] render(Delivery delivery) {
        return delivery.json();
    }

    @Override
    public byte[] render(PresenceEvent event) {
        return event.json();
    }

    @Override
    public byte[] render(ServerFrame frame) {
        return frame.toString().getBytes(StandardCharsets.UTF_8);
    }
}
