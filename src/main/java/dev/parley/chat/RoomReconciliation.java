package dev.parley.chat;

import dev.parley.bus.BusListener;
import dev.parley.protocol.Names;
import dev.parley.room.Room;
import dev.parley.room.RoomRegistry;
import dev.parley.room.RoomStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Cluster mode: when the bus comes back after an outage, the room changes announced meanwhile may never arrive, so
 * this node makes its rooms what the store says they are: rooms made elsewhere are added, rooms deleted elsewhere
 * go, members who joined elsewhere are added and those who left are removed, each told to this node's connections
 * as the announcement would have been. A room whose members changed here moments before the store was read may
 * have a write of this node's still on its way: it is compared again once that has settled.
 */
@Component
@ConditionalOnProperty(name = "parley.cluster.enabled", havingValue = "true")
class RoomReconciliation implements BusListener {
    private static final Logger log = LoggerFactory.getLogger(RoomReconciliation.class);
    /** Longer than a membership write takes to commit: a change older than this is in the store. */
    static final Duration SETTLE = Duration.ofSeconds(5);
    private final RoomStore store;
    private final RoomRegistry registry;
    private final RoomChanges changes;
    private final RoomDeletion deletion;
    private final RoomEvents events;

    RoomReconciliation(RoomStore store, RoomRegistry registry, RoomChanges changes, RoomDeletion deletion,
                       RoomEvents events) {
        this.events = events;
        this.store = store;
        this.registry = registry;
        this.changes = changes;
        this.deletion = deletion;
    }

    @Override
    public void onPeerResumed() {
        onResumed();
    }

    @Override
    public void onResumed() {
        // a second pass for the rooms the first left alone, their last change too fresh to judge
        reconcile().then(Mono.delay(SETTLE)).then(Mono.defer(this::reconcile))
                .subscribe(null, failed -> log.warn("Could not compare the rooms with the store", failed));
    }

    Mono<Void> reconcile() {
        long readAt = System.nanoTime();
        return store.current().doOnNext(stored -> {
            Map<String, RoomStore.StoredRoom> byKey = new HashMap<>();
            for (RoomStore.StoredRoom room : stored) {
                byKey.put(Names.key(room.name()), room);
                sync(room, readAt);
            }
            for (Room room : registry.all()) {
                if (!room.isGeneral() && !byKey.containsKey(room.key()) && settled(room, readAt)) {
                    deletion.deletedElsewhere(room);
                }
            }
        }).then();
    }

    private void sync(RoomStore.StoredRoom stored, long readAt) {
        Room room = registry.get(stored.name());
        if (room != null && room.createdAt() != stored.createdAt()) {
            // deleted elsewhere and made again under its name
            deletion.deletedElsewhere(room);
        }
        changes.know(stored, false);
        Room known = registry.get(stored.name());
        if (known == null) {
            return;
        }
        synchronized (known) {
            if (!settled(known, readAt)) {
                return;
            }
            for (String key : known.memberKeys()) {
                if (!stored.members().containsKey(key)) {
                    events.leftElsewhere(known, key, known.member(key).name());
                }
            }
        }
    }

    /** Whether the room's members here last changed long enough before the store was read for the store to show it. */
    private static boolean settled(Room room, long readAt) {
        long changedAt = room.membersChangedAt();
        return changedAt == 0 || readAt - changedAt > SETTLE.toNanos();
    }
}
