package dev.parley.gateway;

import dev.parley.presence.PresenceEvent;
import dev.parley.protocol.Names;
import dev.parley.protocol.ServerFrame;
import dev.parley.room.Delivery;
import dev.parley.session.SessionRenderer;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The console's view of the chat: each frame as the lines of the contract's dialogue. Messages of
 * the current room read {@code nick >> text}, those of other rooms {@code [room] nick >> text}.
 * Renders per connection (it knows the current room), unlike the WebSocket's shared JSON: console
 * users are few.
 */
final class LineRenderer implements SessionRenderer {
    private final String me;
    private volatile String current;

    LineRenderer(String me, String current) {
        this.me = me;
        this.current = current;
    }

    String current() {
        return current;
    }

    void current(String room) {
        current = room;
    }

    @Override
    public byte[] render(Delivery delivery) {
        return render(delivery.frame());
    }

    /** Presence is in {@code /who}; a line per arrival and departure would drown the talk. */
    @Override
    public byte[] render(PresenceEvent event) {
        return null;
    }

    @Override
    public byte[] render(ServerFrame frame) {
        List<String> lines = lines(frame);
        return lines.isEmpty() ? null : ConsoleText.encode(lines);
    }

    private List<String> lines(ServerFrame frame) {
        if (frame instanceof ServerFrame.Message message) {
            return message(message);
        } else if (frame instanceof ServerFrame.HistoryPage page) {
            List<String> lines = new ArrayList<>();
            page.messages().forEach(message -> lines.addAll(message(message)));
            return lines;
        } else if (frame instanceof ServerFrame.Welcome welcome) {
            return welcome(welcome);
        } else if (frame instanceof ServerFrame.Error error) {
            return List.of(ConsoleText.error(error));
        } else if (frame instanceof ServerFrame.Joined joined) {
            if (!joined.user().equals(me)) {
                return List.of(prefix(joined.room()) + "* " + joined.user() + " joined");
            }
            // your own join, here or through another connection: that room is where you talk now
            current = joined.room();
            return List.of("JOINED " + joined.room());
        } else if (frame instanceof ServerFrame.Left left) {
            if (!left.user().equals(me)) {
                return List.of(prefix(left.room()) + "* " + left.user() + " left");
            }
            return leftCurrent(left.room(), "LEFT " + left.room());
        } else if (frame instanceof ServerFrame.Invited invited) {
            return List.of("* " + invited.by() + " invited you to " + invited.room() + ": /join " + invited.room());
        } else if (frame instanceof ServerFrame.RoomDeleted deleted) {
            return leftCurrent(deleted.room(), "* room " + deleted.room() + " was deleted");
        } else if (frame instanceof ServerFrame.RoomList list) {
            // one line: easy to read, and to parse; * marks the rooms you are in
            return List.of(list.rooms().stream().map(room -> room.room() + (room.present() ? "*" : ""))
                    .collect(Collectors.joining(" ", "ROOMS ", "")).strip());
        }
        // ack (your own message comes back as a message line), pong, typing, resumed: nothing to show
        return List.of();
    }

    /** Out of a room: if it was the current one, back in general. */
    private List<String> leftCurrent(String room, String line) {
        if (!room.equalsIgnoreCase(current)) {
            return List.of(line);
        }
        current = Names.GENERAL;
        return List.of(line, "* you are in " + Names.GENERAL);
    }

    private List<String> welcome(ServerFrame.Welcome welcome) {
        List<String> lines = new ArrayList<>();
        lines.add("HELLO " + welcome.user());
        for (ServerFrame.RoomState room : welcome.rooms()) {
            if (room.unread() > 0) {
                lines.add("* " + room.unread() + " unread in " + room.room());
            }
        }
        return lines;
    }

    private List<String> message(ServerFrame.Message message) {
        String prefix = prefix(message.room()) + message.from() + " >> ";
        return ConsoleText.lines(message.text()).stream().map(line -> prefix + line).toList();
    }

    private String prefix(String room) {
        return room.equalsIgnoreCase(current) ? "" : "[" + room + "] ";
    }
}
