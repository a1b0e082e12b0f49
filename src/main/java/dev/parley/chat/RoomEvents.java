package dev.parley.chat;

import dev.parley.identity.ChatUser;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Delivery;
import dev.parley.room.Room;
import dev.parley.session.ChatSession;
import dev.parley.session.SessionRegistry;
import org.springframework.stereotype.Component;

/**
 * Who hears of a room change, and how: notices on the room's channel (in order with its
 * messages), events to all connections of a user, and following or unfollowing a room on every
 * connection of a member.
 */
@Component
class RoomEvents {
    private final SessionRegistry sessions;
    private final FrameCodec codec;

    RoomEvents(SessionRegistry sessions, FrameCodec codec) {
        this.sessions = sessions;
        this.codec = codec;
    }

    /** To the connections following the room (each user's own joined notice is skipped by its session). */
    void publish(Room room, ServerFrame frame) {
        room.channel().publish(Delivery.notice(room.name(), frame, codec.encode(frame)));
    }

    /** To every connection of the user. */
    void tell(String userKey, ServerFrame frame) {
        for (ChatSession session : sessions.of(userKey)) {
            session.notify(frame);
        }
    }

    /** To every connection of the user but the one that asked (which gets the reply instead). */
    void tellOthers(String userKey, ChatSession requester, ServerFrame frame) {
        for (ChatSession session : sessions.of(userKey)) {
            if (session != requester) {
                session.notify(frame);
            }
        }
    }

    void tellEveryone(ServerFrame frame) {
        for (ChatSession session : sessions.all()) {
            session.notify(frame);
        }
    }

    /**
     * Makes every connection of a member follow the room. Each connection but the requester is
     * told with the full {@code joined}, queued before any live frame of the room; the requester's
     * reply is the caller's. Call under the room's monitor, while the user is a member.
     *
     * @param requester the connection that asked, or null (a REST call, or a change by somebody else)
     * @return the seq after which the requester's live delivery starts, or the room's seq without one
     */
    long follow(Room room, ChatUser user, ChatSession requester) {
        long[] start = {room.channel().lastSeq()};
        for (ChatSession session : sessions.of(user.key())) {
            session.follow(room.channel(), seq -> {
                if (session == requester) {
                    start[0] = seq;
                } else {
                    session.notify(new ServerFrame.Joined(null, room.name(), user.name(), room.memberNames(), seq));
                }
            });
        }
        return start[0];
    }

    /** Stops the room's live traffic on every connection of the user. */
    void unfollow(Room room, String userKey) {
        for (ChatSession session : sessions.of(userKey)) {
            session.unfollow(room.name());
        }
    }
}
