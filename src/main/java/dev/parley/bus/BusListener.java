package dev.parley.bus;

import java.util.Collection;

/**
 * What a node does with what it hears on the {@link Bus}, whichever node it came from; each listener takes the
 * kinds it cares for. Calls may come from any thread and must not block. Between nodes nothing is guaranteed:
 * a room's messages may come out of seq order, twice, or not at all (the listener puts them in order and fills
 * gaps from the store), and a presence change may be lost (the snapshots put it right).
 */
public interface BusListener {

    default void onMessage(RoomMessage message) {
    }

    default void onPresence(PresenceChange change) {
    }

    /** A room changed on another node (a node never hears its own room changes: it made them). */
    default void onRoomChange(RoomChange change) {
    }

    /**
     * Every live node's connections per user, as the cluster keeps them: the whole truth, replacing what the
     * listener had (heard when a node starts, and when its bus is back after an outage).
     */
    default void onPresenceSnapshot(Collection<PresenceChange> everyone) {
    }

    /** A user was registered on some node (stored already); {@code local}: an account with a password. */
    default void onRegistered(String userKey, String name, boolean local) {
    }

    /** A login token (by its hash) was ended on some node: the connections it opened here end too. */
    default void onLoggedOut(String tokenId) {
    }

    /** The nodes beating now, this one among them (heard every check round). */
    default void onLiveNodes(Collection<String> nodes) {
    }

    /** A node stopped for good (it stopped beating): whatever it held is gone. */
    default void onNodeGone(String node) {
    }

    /**
     * This node's bus was away and is back (or its subscription was renewed): whatever was published meanwhile may
     * never arrive, so the listener catches up from the store, or publishes again what others must know of it.
     */
    default void onResumed() {
    }

    /**
     * Another node's bus was away and is back: what that node published meanwhile reached no node, so the listener
     * catches up from the store (that node publishes again what it holds itself).
     */
    default void onPeerResumed() {
    }
}
