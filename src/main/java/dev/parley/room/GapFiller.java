package dev.parley.room;

import dev.parley.config.ParleyProperties;
import dev.parley.history.MessageStore;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.stats.ParleyMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;

/**
 * Brings a room's channel up to date from the store when messages are missing: held ones wait
 * {@code parley.cluster.gap-wait} for the ones before them to arrive from their nodes, then what is still missing is
 * read from the store (committed seqs of a room always form a contiguous prefix, so the store has them). A gap the
 * store cannot fill is given up: the followers see the jump and resume. On one node nothing ever goes missing.
 */
@Component
public class GapFiller {
    private static final Logger log = LoggerFactory.getLogger(GapFiller.class);
    /** Messages read per store round while filling. */
    static final int PAGE = 500;

    private final MessageStore store;
    private final RoomRegistry rooms;
    private final FrameCodec codec;
    private final ParleyMetrics metrics;
    private final Duration gapWait;

    public GapFiller(MessageStore store, RoomRegistry rooms, FrameCodec codec, ParleyMetrics metrics, ParleyProperties properties) {
        this.store = store;
        this.rooms = rooms;
        this.codec = codec;
        this.metrics = metrics;
        this.gapWait = properties.cluster().gapWait();
    }

    /**
     * Compares every room followed on this node with the store's last seqs and reads what a room is missing (a
     * message lost on the way between nodes opens no gap until the next one comes).
     */
    public Mono<Void> reconcile() {
        return store.lastSeqs().flatMapMany(stored -> Flux.fromIterable(rooms.all())
                        .filter(room -> room.channel().subscribers() > 0)
                        .concatMap(room -> {
                            long last = stored.getOrDefault(room.name(), 0L);
                            long delivered = room.channel().delivered();
                            return last > delivered ? catchUp(room, delivered, last) : Mono.empty();
                        }))
                .onErrorResume(e -> {
                    log.warn("Could not compare the rooms with the store", e);
                    return Mono.empty();
                })
                .then();
    }

    /** A gap opened in the room: what is still missing after the wait is read from the store. */
    void fillLater(Room room) {
        Mono.delay(gapWait).then(Mono.defer(() -> fillGap(room))).subscribe();
    }

    /** Fills the room's gap from the store now; completes when it is filled or given up. */
    Mono<Void> fillGap(Room room) {
        long from = room.channel().gapFrom();
        if (from < 0) {
            return Mono.empty();
        }
        return catchUp(room, from, Long.MAX_VALUE).then(Mono.fromRunnable(() -> {
            long still = room.channel().gapFrom();
            if (still >= 0 && still != from) {
                // a message above what the store had came meanwhile: that newer gap gets its own wait
                fillLater(room);
            } else if (still == from) {
                // the store had nothing after it (the room was deleted and made again meanwhile): followers resume
                log.warn("Room {}: messages after seq {} are neither arriving nor stored; its followers will resume",
                        room.name(), from);
                room.channel().skipGap();
            }
        }));
    }

    /**
     * Reads the room's stored messages after {@code from} up to {@code upTo} and publishes them (the channel drops
     * what already went out). The store failing gives the gap up: the followers resume once it answers again.
     */
    public Mono<Void> catchUp(Room room, long from, long upTo) {
        return store.after(room.name(), from, PAGE)
                .flatMap(page -> {
                    long last = publish(room, page);
                    return page.size() == PAGE && last < upTo ? catchUp(room, last, upTo) : Mono.<Void>empty();
                })
                .onErrorResume(e -> {
                    log.warn("Room {}: could not read the missing messages after seq {}", room.name(), from, e);
                    room.channel().skipGap();
                    return Mono.empty();
                });
    }

    private long publish(Room room, List<ServerFrame.Message> page) {
        long before = room.channel().delivered();
        long last = 0;
        long now = System.nanoTime();
        for (ServerFrame.Message message : page) {
            room.channel().publish(new Delivery(room.name(), message.seq(), message, codec.encode(message), now));
            last = message.seq();
        }
        metrics.gapFilled(Math.max(0, room.channel().delivered() - before));
        return last;
    }
}
