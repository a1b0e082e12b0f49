package dev.parley.config;

/**
 * Reactor Netty settings that are system properties, read once when its classes load, so they are
 * set before the application starts. Each is only a default: a {@code -D} on the command line wins.
 */
public final class NettyDefaults {

    /**
     * Frames Reactor Netty takes from a connection's outbound stream ahead of the socket. Its default,
     * 128, pre-allocates a 128-slot queue per connection and lets 128 frames sit outside the outbox's
     * byte bound; 32 still fills a flush (frames queued meanwhile go out in one write) at a quarter of
     * the memory.
     */
    static final String SEND_PREFETCH = "reactor.netty.send.maxPrefetchSize";

    /**
     * Lettuce (cluster mode's Redis client) on epoll, not io_uring: with both on the class path it picks epoll but
     * sets io_uring's keep-alive options on the socket, which warns on every connection. Its few connections
     * gain nothing from io_uring.
     */
    static final String LETTUCE_IO_URING = "io.lettuce.core.iouring";

    private NettyDefaults() {
    }

    public static void apply() {
        if (System.getProperty(SEND_PREFETCH) == null) {
            System.setProperty(SEND_PREFETCH, "32");
        }
        if (System.getProperty(LETTUCE_IO_URING) == null) {
            System.setProperty(LETTUCE_IO_URING, "false");
        }
    }
}
