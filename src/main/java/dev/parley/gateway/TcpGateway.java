package dev.parley.gateway;

import dev.parley.config.ParleyProperties;
import dev.parley.limits.ConnectionCaps;
import dev.parley.limits.RateLimitedException;
import dev.parley.protocol.ServerFrame;
import io.netty.channel.ChannelOption;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.NettyInbound;
import reactor.netty.NettyOutbound;
import reactor.netty.http.HttpResources;
import reactor.netty.tcp.TcpServer;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * The console gateway's TCP server on {@code parley.tcp.port}, started and stopped with the
 * application, on the same event loops as HTTP. Lines are cut at {@code line-max} bytes by {@link ConsoleLines}.
 */
@Component
public class TcpGateway implements SmartLifecycle {
    private final ConsoleServices services;
    private final ParleyProperties.Tcp config;
    private volatile DisposableServer server;

    TcpGateway(ConsoleServices services) {
        this.services = services;
        this.config = services.properties().tcp();
    }

    /** The port it listens on, if it does. */
    public OptionalInt port() {
        DisposableServer bound = server;
        return bound == null ? OptionalInt.empty() : OptionalInt.of(bound.port());
    }

    @Override
    public void start() {
        if (config.port() < 0 || server != null) {
            return;
        }
        int lineMax = (int) config.lineMax().toBytes();
        server = TcpServer.create()
                .port(config.port())
                .runOn(HttpResources.get())
                // a console reads for hours without typing: the kernel's keep-alive finds the dead ones
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .doOnConnection(connection -> ConsoleLines.install(connection, lineMax))
                .handle(this::accept)
                .bindNow();
    }

    private Mono<Void> accept(NettyInbound in, NettyOutbound out) {
        Connection[] connection = new Connection[1];
        in.withConnection(c -> connection[0] = c);
        String address = connection[0].address() instanceof InetSocketAddress remote && remote.getAddress() != null
                ? remote.getAddress().getHostAddress() : "unknown";
        ConnectionCaps.Admission fromAddress;
        ConnectionCaps.Admission handshake;
        try {
            fromAddress = services.caps().admitAddress(address);
        } catch (RateLimitedException refused) {
            return refuse(out, refused);
        }
        try {
            handshake = services.caps().handshake();
        } catch (RateLimitedException refused) {
            fromAddress.close();
            return refuse(out, refused);
        }
        return new ConsoleConnection(in, out, connection[0], services, address, fromAddress, handshake).run();
    }

    private static Mono<Void> refuse(NettyOutbound out, RateLimitedException refused) {
        return out.sendByteArray(Mono.just(ConsoleText.encode(List.of(
                ConsoleText.error(ServerFrame.Error.of(null, refused)), "BYE try again later")))).then();
    }

    @Override
    public void stop() {
        DisposableServer bound = server;
        if (bound != null) {
            bound.disposeNow(Duration.ofSeconds(5));
            server = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** Stops after the sessions are told (GracefulShutdown, the default phase), before the web server. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 512;
    }
}
