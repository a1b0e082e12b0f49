package dev.parley.gateway;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.MessageText;
import dev.parley.protocol.Names;
import dev.parley.protocol.Visibility;
import dev.parley.session.ChatSession;
import dev.parley.session.Outgoing;
import dev.parley.stats.CloseReason;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Locale;

/**
 * A logged-in console's lines: text goes to the current room, {@code /commands} become the same
 * requests as the WebSocket's frames, handled by the same chat service. Only how they are shown
 * differs ({@link LineRenderer}).
 */
final class ConsoleCommands {
    static final List<String> HELP = List.of(
            "HELP text             say it in the current room",
            "HELP /join ROOM       join a room (or go back to one you are in) and see what was said lately",
            "HELP /create ROOM [private]  make a room (public unless private) and go there",
            "HELP /leave ROOM      leave a room",
            "HELP /rooms           the rooms you may join; * marks yours",
            "HELP /who             who is online",
            "HELP /msg USER TEXT   a private message (a conversation, [@you+user])",
            "HELP /help            this",
            "HELP QUIT             leave the chat");

    private final ChatSession session;
    private final LineRenderer renderer;
    private final ConsoleServices services;
    private final int textMax;

    ConsoleCommands(ChatSession session, LineRenderer renderer, ConsoleServices services) {
        this.session = session;
        this.renderer = renderer;
        this.services = services;
        this.textMax = services.properties().limits().textMax();
    }

    /** One line; errors are {@link ChatException}s for the connection to show. */
    Mono<Void> handle(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return Mono.empty();
        }
        if (trimmed.equalsIgnoreCase("QUIT") || trimmed.equalsIgnoreCase("/quit")) {
            return Mono.fromRunnable(() -> session.transport().close(CloseReason.NORMAL, CloseCodes.NORMAL, "bye"));
        }
        if (!trimmed.startsWith("/")) {
            return request(new ClientFrame.Send(null, renderer.current(), MessageText.validate(line, textMax, null)));
        }
        String[] words = trimmed.split("\\s+", 3);
        String command = words[0].toLowerCase(Locale.ROOT);
        switch (command) {
            case "/join":
                String room = room(words, "/join ROOM");
                return request(new ClientFrame.Join(null, room)).then(recent(room));
            case "/create":
                return create(words);
            case "/leave":
                return request(new ClientFrame.Leave(null, room(words, "/leave ROOM")));
            case "/rooms":
                return request(new ClientFrame.Rooms(null));
            case "/who":
                return Mono.fromRunnable(() -> lines(List.of(("ONLINE " + String.join(" ",
                        services.presence().online(services.properties().presence().broadcastMax()))).strip())));
            case "/msg":
                if (words.length < 3 || !Names.isValidUser(words[1])) {
                    throw usage("/msg USER TEXT");
                }
                return request(new ClientFrame.Dm(null, words[1], MessageText.validate(words[2], textMax, null)));
            case "/help":
                return Mono.fromRunnable(() -> lines(HELP));
            default:
                throw new ChatException(ErrorCode.BAD_REQUEST, "no command " + words[0] + "; /help lists them");
        }
    }

    /** {@code /create ROOM [private]}: like the frame, then the console is in it. */
    private Mono<Void> create(String[] words) {
        if (words.length < 2 || !Names.isValidNewRoom(words[1])
                || (words.length == 3 && !words[2].equalsIgnoreCase("private") && !words[2].equalsIgnoreCase("public"))) {
            throw usage("/create ROOM [private]");
        }
        Visibility visibility = words.length == 3 ? Visibility.fromWire(words[2].toLowerCase(Locale.ROOT)) : Visibility.PUBLIC;
        return request(new ClientFrame.Create(null, words[1], visibility))
                .then(Mono.fromRunnable(() -> {
                    renderer.current(words[1]);
                    lines(List.of("JOINED " + words[1]));
                }));
    }

    /** What was said lately in a room, after joining it: the last {@code history-window}, at most {@code history-max}. */
    Mono<Void> recent(String room) {
        return Mono.defer(() -> services.chat().recent(session, room, services.properties().tcp().historyWindow(),
                services.properties().tcp().historyMax())).doOnNext(session::reply).then();
    }

    private Mono<Void> request(ClientFrame frame) {
        return Mono.defer(() -> services.chat().handle(session, frame));
    }

    private void lines(List<String> lines) {
        session.outbox().offer(Outgoing.reply(ConsoleText.encode(lines)));
    }

    private static String room(String[] words, String usage) {
        if (words.length != 2 || !Names.isValidRoom(words[1])) {
            throw usage(usage);
        }
        return words[1];
    }

    private static ChatException usage(String usage) {
        return new ChatException(ErrorCode.BAD_REQUEST, "usage: " + usage);
    }
}
