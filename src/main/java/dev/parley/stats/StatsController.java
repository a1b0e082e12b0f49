package dev.parley.stats;

import dev.parley.presence.PresenceRegistry;
import dev.parley.room.RoomRegistry;
import dev.parley.session.SessionRegistry;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.lang.management.ManagementFactory;
import java.util.List;

/** {@code GET /api/stats} and {@code GET /api/members}, as the contract shapes them. Non-blocking: all in memory. */
@RestController
@RequestMapping("/api")
class StatsController {
    static final int TOP_ROOMS = 10;

    private final SessionRegistry sessions;
    private final PresenceRegistry presence;
    private final RoomRegistry rooms;
    private final ParleyMetrics metrics;
    private final LiveRates rates;

    StatsController(SessionRegistry sessions, PresenceRegistry presence, RoomRegistry rooms,
                    ParleyMetrics metrics, LiveRates rates) {
        this.sessions = sessions;
        this.presence = presence;
        this.rooms = rooms;
        this.metrics = metrics;
        this.rates = rates;
    }

    /** This node's figures, its id, and the cluster's (on a single node: the same users and connections). */
    record Stats(int usersOnline, int connections, int rooms, long messagesStored, double messagesPerSecond,
                 double deliveriesPerSecond, long slowConsumerDisconnects, long uptimeSeconds,
                 List<LiveRates.RoomRate> topRooms, String node, PresenceRegistry.ClusterFigures cluster) {
    }

    @GetMapping("/stats")
    Stats stats() {
        return new Stats(presence.localCount(), sessions.count(), rooms.count(), (long) metrics.messagesStored(),
                rates.messagesPerSecond(), rates.deliveriesPerSecond(), rates.slowConsumerDisconnects(),
                ManagementFactory.getRuntimeMXBean().getUptime() / 1000, rates.topRooms(TOP_ROOMS), presence.node(),
                presence.cluster());
    }

    @GetMapping("/members")
    List<String> members() {
        return presence.online();
    }
}
