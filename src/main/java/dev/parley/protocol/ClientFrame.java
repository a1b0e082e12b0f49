package dev.parley.protocol;

import java.util.List;
import java.util.Map;

/**
 * A frame sent by a client. Decoded and validated by {@link FrameCodec}; every
 * record here already satisfies the contract's limits. {@code id} is optional (may be null).
 */
public sealed interface ClientFrame {

    String id();

    record Send(String id, String room, String text) implements ClientFrame {
    }

    /** {@code before} is exclusive; null means newest. */
    record History(String id, String room, Long before, int limit) implements ClientFrame {
    }

    /** Last seq the client has, per room; insertion order kept. */
    record Resume(String id, Map<String, Long> after) implements ClientFrame {
    }

    record Read(String id, String room, long seq) implements ClientFrame {
    }

    record Typing(String id, String room) implements ClientFrame {
    }

    record Ping(String id) implements ClientFrame {
    }

    record PresenceSub(String id, List<String> users) implements ClientFrame {
    }

    /** A new public or private room; the caller becomes its first member. */
    record Create(String id, String room, Visibility visibility) implements ClientFrame {
    }

    /** The rooms the caller may see: public ones and its private ones. */
    record Rooms(String id) implements ClientFrame {
    }

    record Join(String id, String room) implements ClientFrame {
    }

    record Leave(String id, String room) implements ClientFrame {
    }

    record Invite(String id, String room, String user) implements ClientFrame {
    }

    /** A private message: stored in the conversation room of the caller and {@code to}. */
    record Dm(String id, String to, String text) implements ClientFrame {
    }
}
