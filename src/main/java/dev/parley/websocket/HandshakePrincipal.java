package dev.parley.websocket;

import dev.parley.identity.ChatUser;
import io.netty.channel.Channel;

import java.security.Principal;

/**
 * What the handshake decided, handed to the WebSocket session as its principal: the user,
 * and the Netty channel (may be null off Netty) so a peer that will not take its close
 * frame can be dropped.
 */
record HandshakePrincipal(ChatUser user, Channel channel) implements Principal {

    @Override
    public String getName() {
        return user.name();
    }
}
