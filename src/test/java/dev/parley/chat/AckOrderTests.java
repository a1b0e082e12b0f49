package dev.parley.chat;

import dev.parley.identity.ChatUser;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.RoomRegistry;
import dev.parley.session.ChatSession;
import dev.parley.session.FakeRenderer;
import dev.parley.session.SessionRenderer;
import dev.parley.session.Transport;
import dev.parley.stats.ParleyMetrics;
import dev.parley.support.ParleyTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** An ack is never ahead of what the room shows: whoever follows the room after the ack starts at or past its seq. */
@ParleyTest
class AckOrderTests {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    ChatService chat;
    @Autowired
    RoomRegistry rooms;
    @Autowired
    ParleyMetrics metrics;

    @Test
    void theRoomShowsAMessagesSeqBeforeItsAckIsQueued() {
        // the room's seq as it stood when each ack was queued (on the store's writer thread)
        Map<Long, Long> roomSeqAtAck = new ConcurrentHashMap<>();
        SessionRenderer renderer = new FakeRenderer() {
            @Override
            public byte[] render(ServerFrame frame) {
                if (frame instanceof ServerFrame.Ack ack && ack.seq() != null) {
                    roomSeqAtAck.put(ack.seq(), rooms.general().channel().lastSeq());
                }
                return super.render(frame);
            }
        };
        Transport transport = (reason, code, message) -> { };
        ChatSession session = new ChatSession(new ChatUser("ack-order", true), renderer, transport, metrics,
                1 << 20, 1 << 16);
        chat.connect(session).block(WAIT);
        try {
            for (int i = 0; i < 20; i++) {
                chat.handle(session, new ClientFrame.Send("s" + i, "general", "message " + i)).block(WAIT);
            }
        } finally {
            chat.disconnect(session);
        }

        assertThat(roomSeqAtAck).hasSize(20);
        roomSeqAtAck.forEach((acked, shown) -> assertThat(shown).as("the room's seq when the ack of %d was queued", acked)
                .isGreaterThanOrEqualTo(acked));
    }
}
