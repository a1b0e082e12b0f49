package dev.parley.bus.redis;

import dev.parley.bus.RoomChange;

/** A room change as one line of the cluster channel: {@code room}, its kind, then its fields (none holds a tab). */
final class RoomChangeLines {
    static final String PREFIX = "room\t";
    /** A null field (a registered user's guest node). */
    private static final String NONE = "";

    private RoomChangeLines() {
    }

    static String line(RoomChange change) {
        if (change instanceof RoomChange.Created created) {
            return join("created", created.room(), String.valueOf(created.createdAt()));
        } else if (change instanceof RoomChange.Joined joined) {
            return join("joined", joined.room(), joined.userKey(), joined.name(),
                    joined.guestNode() == null ? NONE : joined.guestNode());
        } else if (change instanceof RoomChange.Left left) {
            return join("left", left.room(), left.userKey(), left.name());
        } else if (change instanceof RoomChange.Invited invited) {
            return join("invited", invited.room(), invited.userKey(), invited.by(), String.valueOf(invited.granted()));
        } else if (change instanceof RoomChange.Deleted deleted) {
            return join("deleted", deleted.room(), String.valueOf(deleted.createdAt()));
        } else if (change instanceof RoomChange.Typing typing) {
            return join("typing", typing.room(), typing.name());
        }
        throw new IllegalStateException("unhandled room change " + change);
    }

    /** A line of {@link #line}. */
    static RoomChange parse(String line) {
        String[] f = line.split("\t", -1);
        return switch (f[1]) {
            case "created" -> new RoomChange.Created(f[2], Long.parseLong(f[3]));
            case "joined" -> new RoomChange.Joined(f[2], f[3], f[4], f[5].equals(NONE) ? null : f[5]);
            case "left" -> new RoomChange.Left(f[2], f[3], f[4]);
            case "invited" -> new RoomChange.Invited(f[2], f[3], f[4], Boolean.parseBoolean(f[5]));
            case "deleted" -> new RoomChange.Deleted(f[2], Long.parseLong(f[3]));
            case "typing" -> new RoomChange.Typing(f[2], f[3]);
            default -> throw new IllegalArgumentException("unknown room change " + f[1]);
        };
    }

    private static String join(String kind, String... fields) {
        return PREFIX + kind + '\t' + String.join("\t", fields);
    }
}
