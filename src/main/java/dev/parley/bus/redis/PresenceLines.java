package dev.parley.bus.redis;

import dev.parley.bus.PresenceChange;

/** A presence change as text, for the cluster channel and the nodes' share hashes (names never hold a tab). */
final class PresenceLines {

    private PresenceLines() {
    }

    /** What a node's share hash holds for one user. */
    static String value(PresenceChange change) {
        return change.name() + '\t' + change.guest() + '\t' + change.connections();
    }

    static PresenceChange change(String node, String userKey, String value) {
        String[] fields = value.split("\t", 3);
        return new PresenceChange(node, userKey, fields[0], Boolean.parseBoolean(fields[1]), Integer.parseInt(fields[2]));
    }

    /** The whole change on one line, for the cluster channel. */
    static String line(PresenceChange change) {
        return "presence\t" + change.userKey() + '\t' + value(change);
    }

    /** A line of {@link #line}, heard from {@code node}. */
    static PresenceChange parse(String node, String line) {
        String[] fields = line.split("\t", 3);
        return change(node, fields[1], fields[2]);
    }
}
