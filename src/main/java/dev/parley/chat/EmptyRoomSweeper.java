package dev.parley.chat;

import dev.parley.bus.NodeId;
import dev.parley.config.ParleyProperties;
import dev.parley.room.RoomStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * Cluster mode's grace period of empty rooms, kept in the store rather than in a timer: every node, each round,
 * claims the rooms empty for longer than the grace, and deletes those it won. A node that saw a room become empty
 * may die; the room is still deleted, once, by another.
 */
@Component
@ConditionalOnProperty(name = "parley.cluster.enabled", havingValue = "true")
public class EmptyRoomSweeper {
    private static final Logger log = LoggerFactory.getLogger(EmptyRoomSweeper.class);
    /** A deletion claimed this long ago and never finished (its node died midway) is taken over. */
    static final Duration ABANDONED = Duration.ofMinutes(10);
    private final RoomStore store;
    private final RoomDeletion deletion;
    private final Duration grace;

    EmptyRoomSweeper(RoomStore store, RoomDeletion deletion, NodeId node, ParleyProperties properties) {
        this.store = store;
        this.deletion = deletion;
        this.grace = properties.rooms().emptyGrace();
        // a node started again under its old id: the guests of its earlier life, loaded with the rooms, leave them
        // (now, before anyone can connect: at the first round this node's own guests would be among them)
        deletion.guestsGone(node.value());
    }

    /** One round: claims what is deletable, deletes what this node won. */
    public Mono<Void> sweep() {
        long now = System.currentTimeMillis();
        long emptyBefore = now - grace.toMillis();
        long claimedBefore = now - ABANDONED.toMillis();
        return store.deletable(emptyBefore, claimedBefore)
                .flatMapMany(Flux::fromIterable)
                .concatMap(room -> store.claim(room, emptyBefore, claimedBefore)
                        .doOnNext(won -> {
                            if (won) {
                                deletion.deleteClaimed(room);
                            }
                        }))
                .then()
                .onErrorResume(failed -> {
                    log.warn("Could not sweep the empty rooms: {}", failed.toString());
                    return Mono.empty();
                });
    }
}
