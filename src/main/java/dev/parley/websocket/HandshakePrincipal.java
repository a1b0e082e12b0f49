package dev.parley.websocket;

import dev.parley.identity.ChatUser;
import dev.parley.limits.ConnectionCaps;
import io.netty.channel.Channel;

import java.security.Principal;
import java.time.Instant;

/**
 * What the handshake decided, handed to the WebSocket session as its principal: the user; the id of the
 * login token it came with (null for guests, JWTs and passwords), so that logging out ends it; when its
 * credential expires (null: never), when the connection ends too; the client's address, which the limits
 * count by; the Netty channel (may be null off Netty), so a peer that will not take its close frame can be
 * dropped; and its place under the connection caps, given back when the connection ends.
 */
record HandshakePrincipal(ChatUser user, String tokenId, Instant expiresAt, String address, Channel channel,
                          ConnectionCaps.Admission admission)
        implements Principal {

    @Override
    public String getName() {
        return user.name();
    }
}
