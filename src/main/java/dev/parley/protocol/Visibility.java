package dev.parley.protocol;

import java.util.Locale;

/** Who may see and join a room: anyone, or its members and invited users. Conversations are private. */
public enum Visibility {
    PUBLIC,
    PRIVATE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The visibility a client named, or null for anything else. */
    public static Visibility fromWire(String value) {
        for (Visibility visibility : values()) {
            if (visibility.wire().equals(value)) {
                return visibility;
            }
        }
        return null;
    }
}
