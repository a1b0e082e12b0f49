package dev.parley.bench.baseline;

import dev.parley.bench.load.FrameScan;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCounted;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import reactor.util.concurrent.Queues;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One baseline connection: a bounded queue of encoded frames drained by Reactor Netty's
 * {@code sendObject}; a full queue drops (the baseline has no slow-consumer policy beyond not waiting).
 */
final class Member {

    private static final byte[] SEND = FrameScan.bytes("send");
    private static final byte[] CREATE = FrameScan.bytes("create");
    private static final byte[] JOIN = FrameScan.bytes("join");
    private static final byte[] PING = FrameScan.bytes("ping");
    private static final byte[] TEXT = FrameScan.keyOf("text");
    private static final byte[] ID = FrameScan.keyOf("id");

    private static final int QUEUE_MAX = 8192;

    private final String user;
    private final Rooms rooms;
    private final Set<Room> joined = ConcurrentHashMap.newKeySet();
    /** Frames queued for this connection; a linked queue in small chunks, so an idle member costs little. */
    private final Sinks.Many<ByteBuf> outbound = Sinks.many().unicast()
            .onBackpressureBuffer(Queues.<ByteBuf>unbounded(16).get());
    private final AtomicInteger queued = new AtomicInteger();

    Member(String user, Rooms rooms) {
        this.user = user;
        this.rooms = rooms;
    }

    String user() {
        return user;
    }

    Mono<Void> serve(WebsocketInbound in, WebsocketOutbound out) {
        Room general = rooms.get("general");
        general.add(this);
        joined.add(general);
        offer("{\"type\":\"welcome\",\"user\":\"" + user + "\",\"guest\":true,\"rooms\":[{\"room\":\"general\",\"seq\":"
                + general.seq() + ",\"unread\":0,\"visibility\":\"public\"}],\"online\":[],\"onlineCount\":0}");
        Mono<Void> input = in.receiveFrames()
                .doOnNext(frame -> {
                    if (frame instanceof TextWebSocketFrame) {
                        route(frame.content());
                    }
                })
                .then();
        Mono<Void> output = out.sendObject(outbound.asFlux()
                        .map(encoded -> {
                            queued.decrementAndGet();
                            return new TextWebSocketFrame(encoded);
                        })
                        .doOnDiscard(ReferenceCounted.class, ReferenceCounted::release))
                .then();
        return Mono.firstWithSignal(input, output)
                .doFinally(signal -> {
                    joined.forEach(room -> room.remove(this));
                    outbound.tryEmitComplete();
                });
    }

    private void route(ByteBuf frame) {
        String rawId = FrameScan.string(frame, ID);
        if (FrameScan.typeIs(frame, SEND)) {
            Room room = rooms.get(FrameScan.room(frame));
            if (room == null || !joined.contains(room)) {
                error(rawId, "not_member");
                return;
            }
            room.publish(this, FrameScan.string(frame, TEXT), rawId);
        } else if (FrameScan.typeIs(frame, CREATE)) {
            Room room = rooms.create(FrameScan.room(frame));
            if (room == null) {
                error(rawId, "room_exists");
                return;
            }
            room.add(this);
            joined.add(room);
            offer("{\"type\":\"ack\",\"id\":\"" + rawId + "\",\"room\":\"" + room.name() + "\"}");
        } else if (FrameScan.typeIs(frame, JOIN)) {
            Room room = rooms.get(FrameScan.room(frame));
            if (room == null) {
                error(rawId, "no_such_room");
                return;
            }
            room.broadcast("{\"type\":\"joined\",\"room\":\"" + room.name() + "\",\"user\":\"" + user + "\"}");
            room.add(this);
            joined.add(room);
            offer("{\"type\":\"joined\",\"room\":\"" + room.name() + "\",\"user\":\"" + user + "\",\"members\":[],\"seq\":"
                    + room.seq() + "}");
        } else if (FrameScan.typeIs(frame, PING)) {
            offer("{\"type\":\"pong\",\"id\":\"" + rawId + "\"}");
        } else {
            error(rawId, "bad_request");
        }
    }

    private void error(String rawId, String code) {
        offer("{\"type\":\"error\",\"id\":\"" + rawId + "\",\"code\":\"" + code + "\",\"message\":\"" + code + "\"}");
    }

    void offer(String json) {
        ByteBuf encoded = ByteBufAllocator.DEFAULT.directBuffer(json.length() * 3);
        encoded.writeCharSequence(json, StandardCharsets.UTF_8);
        offer(encoded);
    }

    /** Queues an encoded frame; takes ownership of the buffer. Emits are serialised per member. */
    synchronized void offer(ByteBuf encoded) {
        if (queued.get() >= QUEUE_MAX || outbound.tryEmitNext(encoded).isFailure()) {
            // full queue or closed connection: the baseline drops rather than waits
            encoded.release();
            return;
        }
        queued.incrementAndGet();
    }
}
