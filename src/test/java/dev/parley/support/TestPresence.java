package dev.parley.support;

import dev.parley.bus.NodeId;
import dev.parley.bus.local.InProcessBus;
import dev.parley.config.ParleyProperties;
import dev.parley.presence.PresenceRegistry;
import dev.parley.protocol.FrameCodec;

import java.util.concurrent.atomic.AtomicReference;

/** A single node's presence, outside Spring: its bus hands every change straight back to it. */
public final class TestPresence {

    private TestPresence() {
    }

    public static PresenceRegistry singleNode(FrameCodec codec, ParleyProperties properties) {
        AtomicReference<PresenceRegistry> self = new AtomicReference<>();
        PresenceRegistry presence = new PresenceRegistry(codec, () -> new InProcessBus(self.get()),
                new NodeId("test-node"), properties);
        self.set(presence);
        return presence;
    }
}
