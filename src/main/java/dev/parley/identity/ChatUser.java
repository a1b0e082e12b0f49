package dev.parley.identity;

import dev.parley.protocol.Names;

/** An authenticated participant: a registered user or a guest known only by nickname. */
public record ChatUser(String name, boolean guest) {

    /** The case-insensitive identity. */
    public String key() {
        return Names.key(name);
    }
}
