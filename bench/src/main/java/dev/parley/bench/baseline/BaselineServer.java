package dev.parley.bench.baseline;

import io.netty.handler.codec.http.QueryStringDecoder;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;

import java.util.List;
import java.util.Map;

/**
 * The yardstick: the least a Reactor Netty WebSocket broadcast server can do while speaking enough of the
 * Parley contract for the same load generator (welcome, send/ack/message, create, join, ping). Frames are
 * routed by scanning a few fields, each broadcast is encoded once, and nothing is stored or validated.
 *
 * <p>Run: {@code java -cp parley-bench.jar dev.parley.bench.baseline.BaselineServer <port>}.
 */
public final class BaselineServer {

    private BaselineServer() {
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8090;
        Rooms rooms = new Rooms();
        WebsocketServerSpec spec = WebsocketServerSpec.builder().maxFramePayloadLength(64 * 1024).build();
        DisposableServer server = HttpServer.create()
                .port(port)
                .route(routes -> routes.get("/ws", (request, response) -> {
                    Map<String, List<String>> query = new QueryStringDecoder(request.uri()).parameters();
                    String user = query.getOrDefault("nickname", List.of("anonymous")).get(0);
                    return response.sendWebsocket((in, out) -> new Member(user, rooms).serve(in, out), spec);
                }))
                .bindNow();
        System.out.println("Baseline started: http=" + server.port());
        Runtime.getRuntime().addShutdownHook(new Thread(server::disposeNow));
        server.onDispose().block();
    }
}
