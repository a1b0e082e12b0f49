package dev.parley.websocket;

import dev.parley.presence.PresenceEvent;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Delivery;
import dev.parley.session.SessionRenderer;

/** WebSocket frames are the contract's JSON; broadcasts arrive encoded already and are shared as they are. */
final class JsonRenderer implements SessionRenderer {
    private final FrameCodec codec;

    JsonRenderer(FrameCodec codec) {
        this.codec = codec;
    }

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
        return codec.encode(frame);
    }
}
