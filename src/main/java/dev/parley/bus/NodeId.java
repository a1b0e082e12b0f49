package dev.parley.bus;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ThreadLocalRandom;

/** This node's name among the others: given ({@code parley.cluster.node-id}), or the host name and a random suffix. */
public record NodeId(String value) {

    public static NodeId of(String configured) {
        if (!configured.isBlank()) {
            return new NodeId(configured);
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "node";
        }
        // a restarted node is a new node: what the old one held is reaped, not mistaken for its own
        return new NodeId(host + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24), 36));
    }

    @Override
    public String toString() {
        return value;
    }
}
