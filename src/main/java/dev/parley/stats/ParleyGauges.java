package dev.parley.stats;

import dev.parley.presence.PresenceRegistry;
import dev.parley.room.RoomRegistry;
import dev.parley.session.SessionRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/** Gauges of what is open now; holds strong references to the registries it reads. */
@Component
class ParleyGauges implements MeterBinder {
    private final SessionRegistry sessions;
    private final PresenceRegistry presence;
    private final RoomRegistry rooms;

    ParleyGauges(SessionRegistry sessions, PresenceRegistry presence, RoomRegistry rooms) {
        this.sessions = sessions;
        this.presence = presence;
        this.rooms = rooms;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(MeterNames.CONNECTIONS, sessions, SessionRegistry::count)
                .description("Open connections").register(registry);
        Gauge.builder(MeterNames.USERS_ONLINE, presence, PresenceRegistry::count)
                .description("Users online").register(registry);
        Gauge.builder(MeterNames.ROOMS, rooms, RoomRegistry::count)
                .description("Rooms that exist, general and conversations included").register(registry);
    }
}
