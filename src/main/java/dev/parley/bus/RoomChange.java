package dev.parley.bus;

/**
 * A room changed on some node, durably already (but for typing): the other nodes make the same change in their
 * memory of the room and tell their own connections, as the node that made it told its own.
 */
public sealed interface RoomChange {

    String room();

    /**
     * A room was made (a conversation too): the others read it, with its first members, from the store.
     *
     * @param createdAt the room's {@code createdAt}: a node still knowing an older room of the name drops that one
     */
    record Created(String room, long createdAt) implements RoomChange {
    }

    /** @param guestNode for a guest, the node its connection is on; null for a registered user */
    record Joined(String room, String userKey, String name, String guestNode) implements RoomChange {
    }

    record Left(String room, String userKey, String name) implements RoomChange {
    }

    /** @param granted an invitation to a private room (it lets the user join); otherwise a nudge only */
    record Invited(String room, String userKey, String by, boolean granted) implements RoomChange {
    }

    /**
     * The room is being deleted: it takes no more members or messages, and whoever could see it is told.
     *
     * @param createdAt the deleted room's {@code createdAt} (0: whichever room of the name the node knows)
     */
    record Deleted(String room, long createdAt) implements RoomChange {
    }

    record Typing(String room, String name) implements RoomChange {
    }
}
