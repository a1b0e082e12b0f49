package dev.parley.chat;

import dev.parley.identity.IdentityResolver;
import dev.parley.web.ClientAddress;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.FrameTypes;
import dev.parley.protocol.ServerFrame;
import dev.parley.history.MessageStore;
import dev.parley.room.Room;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.List;

/**
 * The rooms over HTTP, as the contract's frames: the same service, rules and error codes as the
 * WebSocket, bodies decoded by the same codec and answered in the frames' JSON. The caller is
 * whoever the request's credentials say.
 */
@RestController
@RequestMapping("/api/rooms")
class RoomController {
    private final RoomService rooms;
    private final ChatService chat;
    private final MessageStore messages;
    private final IdentityResolver identities;
    private final FrameCodec codec;

    RoomController(RoomService rooms, ChatService chat, MessageStore messages, IdentityResolver identities,
                   FrameCodec codec) {
        this.rooms = rooms;
        this.chat = chat;
        this.messages = messages;
        this.identities = identities;
        this.codec = codec;
    }

    @GetMapping
    Mono<ResponseEntity<byte[]>> list(ServerWebExchange exchange) {
        return identities.caller(exchange).map(user -> ok(rooms.rooms(user, null)));
    }

    @PostMapping
    Mono<ResponseEntity<byte[]>> create(@RequestBody(required = false) String body, ServerWebExchange exchange) {
        return identities.caller(exchange).flatMap(user -> {
            ClientFrame.Create create = (ClientFrame.Create) codec.decode(FrameTypes.CREATE, body, null);
            return rooms.create(user, null, ClientAddress.of(exchange.getRequest()), create.id(), create.room(), create.visibility())
                    .map(ack -> ResponseEntity.created(URI.create("/api/rooms/" + create.room()))
                            .contentType(MediaType.APPLICATION_JSON).body(codec.encode(ack)));
        });
    }

    @PostMapping("/{room}/join")
    Mono<ResponseEntity<byte[]>> join(@PathVariable String room, ServerWebExchange exchange) {
        return identities.caller(exchange).flatMap(user -> rooms.join(user, null, null, checked(room))).map(this::ok);
    }

    @PostMapping("/{room}/leave")
    Mono<ResponseEntity<byte[]>> leave(@PathVariable String room, ServerWebExchange exchange) {
        return identities.caller(exchange).flatMap(user -> rooms.leave(user, null, null, checked(room))).map(this::ok);
    }

    @PostMapping("/{room}/invite")
    Mono<ResponseEntity<byte[]>> invite(@PathVariable String room, @RequestBody(required = false) String body,
                                        ServerWebExchange exchange) {
        return identities.caller(exchange).flatMap(user -> {
            ClientFrame.Invite invite = (ClientFrame.Invite) codec.decode(FrameTypes.INVITE, body, room);
            return rooms.invite(user, null, invite.id(), invite.room(), invite.user());
        }).map(this::ok);
    }

    /**
     * History: the newest {@code limit} messages below {@code before}, or with {@code after} the
     * oldest {@code limit} above it (and below {@code before}), in increasing seq.
     */
    @GetMapping("/{room}/messages")
    Mono<ResponseEntity<byte[]>> messages(@PathVariable String room, @RequestParam(required = false) String before,
                                          @RequestParam(required = false) String after,
                                          @RequestParam(required = false) String limit, ServerWebExchange exchange) {
        return identities.caller(exchange).flatMap(user -> {
            Room readable = chat.previewable(user, checked(room));
            Long upper = seq("before", before);
            Long lower = seq("after", after);
            int count = limit(limit);
            Mono<List<ServerFrame.Message>> page = lower == null
                    ? messages.history(readable.name(), upper, count)
                    : messages.after(readable.name(), lower, count).map(list -> list.stream()
                    .filter(message -> upper == null || message.seq() < upper).toList());
            return page.map(list -> ok(new ServerFrame.HistoryPage(null, readable.name(), list)));
        });
    }

    private ResponseEntity<byte[]> ok(ServerFrame frame) {
        return ResponseEntity.status(HttpStatus.OK).contentType(MediaType.APPLICATION_JSON).body(codec.encode(frame));
    }

    /** A room name from the path, by the codec's rules. */
    private String checked(String room) {
        return ((ClientFrame.Join) codec.decode(FrameTypes.JOIN, null, room)).room();
    }

    private static Long seq(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            long seq = Long.parseLong(value);
            if (seq >= 0) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ChatException(ErrorCode.BAD_REQUEST, "'" + name + "' must be a sequence number (integer >= 0)");
    }

    private int limit(String value) {
        int max = codec.limits().historyMax();
        if (value == null) {
            return codec.limits().historyDefault();
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ChatException(ErrorCode.BAD_REQUEST, "'limit' must be an integer from 1 to " + max);
    }
}
