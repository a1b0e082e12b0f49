package dev.parley.room;

import dev.parley.bus.BusListener;
import dev.parley.bus.RoomMessage;
import org.springframework.stereotype.Component;

/**
 * What this node does with a message it hears of, from itself or another node: hands it to its room's channel,
 * which puts the room's messages in seq order, and has a gap that opens filled from the store.
 */
@Component
public class RoomFanOut implements BusListener {
    private final RoomRegistry rooms;
    private final GapFiller gaps;

    public RoomFanOut(RoomRegistry rooms, GapFiller gaps) {
        this.rooms = rooms;
        this.gaps = gaps;
    }

    @Override
    public void onMessage(RoomMessage message) {
        Room room = rooms.get(message.room());
        // a room this node does not know (deleted meanwhile), or a later one of its name: nobody here follows it
        if (room != null && room.createdAt() == message.roomCreatedAt() && room.channel().publish(new Delivery(message.room(), message.seq(), message.message(),
                message.json(), message.committedAtNanos()))) {
            gaps.fillLater(room);
        }
    }

    @Override
    public void onResumed() {
        gaps.reconcile().subscribe();
    }

    @Override
    public void onPeerResumed() {
        onResumed();
    }
}
