package dev.parley.gateway;

import dev.parley.account.AccountService;
import dev.parley.chat.ChatService;
import dev.parley.config.ParleyProperties;
import dev.parley.identity.Guests;
import dev.parley.identity.UserDirectory;
import dev.parley.limits.AbuseLimits;
import dev.parley.limits.ConnectionCaps;
import dev.parley.presence.PresenceRegistry;
import dev.parley.session.TokenConnections;
import dev.parley.stats.ParleyMetrics;
import org.springframework.stereotype.Component;

/** What every console connection uses: the same services as the WebSocket's, gathered once. */
@Component
record ConsoleServices(ChatService chat, AccountService accounts, UserDirectory users, Guests guests,
                       PresenceRegistry presence,
                       ConnectionCaps caps, AbuseLimits limits, TokenConnections tokens, ParleyMetrics metrics,
                       ParleyProperties properties) {
}
