package dev.parley.bus;

/**
 * How many connections one node holds for one user now: what every node's view of who is online is made of.
 *
 * @param connections 0 when the node holds none any more
 */
public record PresenceChange(String node, String userKey, String name, boolean guest, int connections) {
}
