package dev.parley.bus;

/**
 * What a node does with what it hears on the {@link Bus}, whichever node it came from. Calls may come from any
 * thread, and a room's messages may arrive out of seq order, twice, or not at all (between nodes): the
 * listener puts them in order and fills gaps from the store. Must not block.
 */
public interface BusListener {

    void onMessage(RoomMessage message);

    /**
     * The bus was away and is back (or its subscription was renewed): whatever was published meanwhile may never
     * arrive, so the listener catches up from the store.
     */
    default void onResumed() {
    }
}
