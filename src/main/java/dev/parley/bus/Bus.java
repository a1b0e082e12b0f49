package dev.parley.bus;

/**
 * Tells every node of what happened on this one. Every method is non-blocking and may be called from any thread;
 * this node's listeners hear each publication at once, on the calling thread (its clients are served even while
 * the other nodes cannot be told), and every other node's soon after.
 */
public interface Bus {

    /** A message committed through this node (the store's writer calls this in seq order per room). */
    void publish(RoomMessage message);

    /** This node's connections of a user changed; call in the order of that user's changes. */
    void publish(PresenceChange change);

    /**
     * A room changed through this node, which has made the change and told its own connections already: only the
     * other nodes hear it. Call in the order of the room's changes.
     */
    void publish(RoomChange change);

    /** A user was registered (or first seen through single sign-on) and stored: every node knows the name now. */
    void registered(String userKey, String name, boolean local);

    /** A login token was ended (by its hash): whatever it opened, on any node, ends too. */
    void loggedOut(String tokenId);
}
