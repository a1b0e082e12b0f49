package dev.parley.bench.baseline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Members and the sequence counter of one baseline room. */
final class Room {

    private final String name;
    private final Set<Member> members = ConcurrentHashMap.newKeySet();
    private long seq;

    Room(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    void add(Member member) {
        members.add(member);
    }

    void remove(Member member) {
        members.remove(member);
    }

    synchronized long seq() {
        return seq;
    }

    /**
     * Numbers the message, acks the sender and fans out one encoded buffer to every member; under the
     * room's lock so that every member sees the room's messages in seq order.
     */
    synchronized void publish(Member sender, String rawText, String rawId) {
        long next = ++seq;
        sender.offer("{\"type\":\"ack\"" + (rawId.isEmpty() ? "" : ",\"id\":\"" + rawId + "\"")
                + ",\"room\":\"" + name + "\",\"seq\":" + next + "}");
        broadcast("{\"type\":\"message\",\"room\":\"" + name + "\",\"seq\":" + next + ",\"from\":\"" + sender.user()
                + "\",\"text\":\"" + rawText + "\",\"ts\":\"" + Instant.now() + "\"}");
    }

    synchronized void broadcast(String json) {
        ByteBuf encoded = ByteBufAllocator.DEFAULT.directBuffer(json.length() * 3);
        encoded.writeCharSequence(json, StandardCharsets.UTF_8);
        try {
            for (Member member : members) {
                member.offer(encoded.retainedDuplicate());
            }
        } finally {
            encoded.release();
        }
    }
}
