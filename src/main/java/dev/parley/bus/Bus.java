package dev.parley.bus;

/**
 * Tells every node of what happened on this one. Every method is non-blocking and may be called from any thread
 * (the store's writer calls {@link #publish} for each committed message, in seq order per room).
 */
public interface Bus {

    /**
     * A message committed through this node: this node's listener hears it at once, on the calling thread (its
     * clients get it even while the other nodes cannot be told), and every other node's listener soon after.
     */
    void publish(RoomMessage message);
}
