package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

import java.util.List;
import java.util.Map;

/**
 * A frame the server sends. Records serialize with their {@code type} first; null
 * fields (an absent client {@code id}) are left out.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(ServerFrame.Welcome.class),
        @JsonSubTypes.Type(ServerFrame.Ack.class),
        @JsonSubTypes.Type(ServerFrame.Message.class),
        @JsonSubTypes.Type(ServerFrame.HistoryPage.class),
        @JsonSubTypes.Type(ServerFrame.Resumed.class),
        @JsonSubTypes.Type(ServerFrame.Presence.class),
        @JsonSubTypes.Type(ServerFrame.Typing.class),
        @JsonSubTypes.Type(ServerFrame.Pong.class),
        @JsonSubTypes.Type(ServerFrame.Error.class),
        @JsonSubTypes.Type(ServerFrame.Joined.class),
        @JsonSubTypes.Type(ServerFrame.Left.class),
        @JsonSubTypes.Type(ServerFrame.Invited.class),
        @JsonSubTypes.Type(ServerFrame.RoomDeleted.class),
        @JsonSubTypes.Type(ServerFrame.RoomList.class)})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ServerFrame {

    @JsonTypeName(FrameTypes.WELCOME)
    record Welcome(String user, boolean guest, List<RoomState> rooms, List<String> online, int onlineCount)
            implements ServerFrame {
    }

    record RoomState(String room, long seq, long unread, String visibility) {
    }

    /** Replies to {@code send} and {@code dm} (with the message's seq), {@code create} and {@code invite} (without). */
    @JsonTypeName(FrameTypes.ACK)
    record Ack(String id, String room, Long seq) implements ServerFrame {
    }

    /** A stored chat message; {@code ts} is ISO-8601 UTC with milliseconds. */
    @JsonTypeName(FrameTypes.MESSAGE)
    record Message(String room, long seq, String from, String text, String ts) implements ServerFrame {
    }

    @JsonTypeName(FrameTypes.HISTORY)
    record HistoryPage(String id, String room, List<Message> messages) implements ServerFrame {
    }

    @JsonTypeName(FrameTypes.RESUMED)
    record Resumed(String id, Map<String, RoomResume> rooms) implements ServerFrame {
    }

    record RoomResume(long seq, boolean truncated) {
    }

    @JsonTypeName(FrameTypes.PRESENCE)
    record Presence(String user, boolean online) implements ServerFrame {
    }

    @JsonTypeName(FrameTypes.TYPING)
    record Typing(String room, String user) implements ServerFrame {
    }

    @JsonTypeName(FrameTypes.PONG)
    record Pong(String id) implements ServerFrame {
    }

    @JsonTypeName(FrameTypes.ERROR)
    record Error(String id, String code, String message, Long retryAfterMs) implements ServerFrame {
        public Error(String id, String code, String message) {
            this(id, code, message, null);
        }

        public static Error of(String id, ChatException e) {
            return new Error(id, e.code().wire(), e.getMessage(), e.retryAfterMs());
        }
    }

    /**
     * A user joined a room. The joiner's own connections get the full form, with the members
     * and the seq after which their live delivery starts; the other members get only
     * {@code room} and {@code user} ({@code members} and {@code seq} null, left out).
     */
    @JsonTypeName(FrameTypes.JOINED)
    record Joined(String id, String room, String user, List<String> members, Long seq) implements ServerFrame {
        public static Joined notice(String room, String user) {
            return new Joined(null, room, user, null, null);
        }
    }

    /** A user left a room: to the remaining members, and to the leaver's own connections. */
    @JsonTypeName(FrameTypes.LEFT)
    record Left(String id, String room, String user) implements ServerFrame {
    }

    @JsonTypeName(FrameTypes.INVITED)
    record Invited(String room, String by) implements ServerFrame {
    }

    @JsonTypeName(FrameTypes.ROOM_DELETED)
    record RoomDeleted(String room) implements ServerFrame {
    }

    @JsonTypeName(FrameTypes.ROOMS)
    record RoomList(String id, List<RoomSummary> rooms) implements ServerFrame {
    }

    /** @param members how many members the room has; @param present whether the caller is one */
    record RoomSummary(String room, String visibility, int members, boolean present) {
    }
}
