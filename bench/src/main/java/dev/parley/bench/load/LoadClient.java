package dev.parley.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * Opens and drives many WebSocket connections from one event-loop thread (the generator is pinned to one
 * CPU, so more threads would only contend). Connections are spread over several loopback source addresses
 * (127.0.0.2 and up), each with its own ephemeral port range, so 50k+ connections never run out of ports.
 */
public final class LoadClient implements AutoCloseable {

    /**
     * Loopback source addresses connections rotate over. Each has its own ephemeral port range (about
     * 28k ports), and a closed connection holds its port in TIME_WAIT for a minute, so back-to-back
     * scenarios need several.
     */
    private static final int SOURCE_ADDRESSES = 16;

    private final MultiThreadIoEventLoopGroup group;
    private final Bootstrap bootstrap;
    private final EventLoop loop;
    private final InetSocketAddress server;
    private final String path;
    private final Tally tally = new Tally();
    private final java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();

    public LoadClient(InetSocketAddress server, String path) {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(1, io);
        this.loop = group.next();
        this.server = server;
        this.path = path;
        Bootstrap bootstrap = new Bootstrap().group(loop)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
        if (epoll) {
            // the port is chosen at connect time, unique per (source, destination) rather than per source
            bootstrap.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        }
        this.bootstrap = bootstrap;
    }

    public Tally tally() {
        return tally;
    }

    public EventLoop loop() {
        return loop;
    }

    /**
     * Opens {@code count} connections, at most {@code parallel} handshakes at a time, and completes when
     * every one is welcomed or has failed (failures are counted in the tally, not thrown).
     */
    public CompletableFuture<List<LoadConnection>> open(int count, IntFunction<String> nickname, int parallel) {
        return open(count, nickname, parallel, server, tally);
    }

    /** Like {@link #open(int, IntFunction, int)}, to another server, counted in another tally. */
    public CompletableFuture<List<LoadConnection>> open(int count, IntFunction<String> nickname, int parallel,
                                                        InetSocketAddress to, Tally counted) {
        List<LoadConnection> welcomed = Collections.synchronizedList(new ArrayList<>(count));
        CompletableFuture<List<LoadConnection>> done = new CompletableFuture<>();
        if (count == 0) {
            done.complete(welcomed);
            return done;
        }
        loop.execute(new Runnable() {
            int started;
            int finished;

            @Override
            public void run() {
                while (started < count && started - finished < parallel) {
                    int index = started++;
                    connect(nickname.apply(index), to, counted).whenComplete((connection, failure) -> loop.execute(() -> {
                        if (failure == null) {
                            welcomed.add(connection);
                        }
                        if (++finished == count) {
                            done.complete(welcomed);
                        } else {
                            run();
                        }
                    }));
                }
            }
        });
        return done;
    }

    /** Opens one connection; the future completes at its welcome. */
    public CompletableFuture<LoadConnection> connect(String nickname) {
        return connect(nickname, server, tally);
    }

    private CompletableFuture<LoadConnection> connect(String nickname, InetSocketAddress to, Tally counted) {
        LoadConnection connection = new LoadConnection(nickname, counted);
        URI uri = URI.create("ws://" + to.getHostString() + ":" + to.getPort() + path + "?nickname=" + nickname);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .maxFramePayloadLength(1 << 20)
                .handshakeTimeoutMillis(30_000)
                .handleCloseFrames(false)
                .dropPongFrames(true)
                .build();
        InetSocketAddress source = new InetSocketAddress("127.0.0." + (2 + opened.getAndIncrement() % SOURCE_ADDRESSES), 0);
        bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                        new WebSocketClientProtocolHandler(config), connection);
            }
        }).connect(to, source).addListener(future -> {
            if (!future.isSuccess()) {
                counted.failed(future.cause());
                connection.welcomed().completeExceptionally(future.cause());
            }
        });
        return connection.welcomed();
    }

    /** Closes every connection and the event loop. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 5, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
